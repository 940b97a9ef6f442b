import { memo, useMemo, useState } from 'react';
import { summariseSegments } from '../features/recording/segments.ts';
import type { SegmentSummary } from '../features/recording/segments.ts';
import type { Recording } from '../features/recording/schema.ts';
import { niceTicks } from './charts/plot.ts';
import { ValenceArousalChart } from './charts/ValenceArousalChart.tsx';
import { useResearch, useResearchActions } from './research/research-context.tsx';

/** Points drawn at most (a long recording is thinned evenly; the summaries use every frame). */
const MAX_POINTS = 1500;
const TRAIL_POINTS = 400;

function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]!);
}

const fmt = (v: number | undefined): string => (v === undefined ? '–' : (v >= 0 ? '+' : '') + v.toFixed(2));
const spread = (s: { mean: number; sd: number } | undefined): string => (s ? `${fmt(s.mean)} ± ${s.sd.toFixed(2)}` : '–');

const ReviewTimeline = memo(function ReviewTimeline({ recording }: { recording: Recording }) {
  const points = useMemo(
    () => thin(recording.frames, MAX_POINTS).map((f) => ({ t: f.t / 1000, valence: f.valence, arousal: f.arousal })),
    [recording],
  );
  const markers = useMemo(() => recording.markers.map((m) => ({ t: m.t / 1000, label: m.label })), [recording]);
  const end = Math.max(1, (recording.frames.at(-1)?.t ?? 0) / 1000);
  return (
    <figure
      className="review-timeline"
      data-testid="review-timeline"
      data-markers={recording.markers.length}
      aria-label={`Valence and arousal over the session, ${recording.markers.length} markers`}
    >
      <ValenceArousalChart
        width={900}
        height={220}
        points={points}
        xDomain={[0, end]}
        xTicks={niceTicks(0, end, 10, true)}
        unit=" s"
        strokeWidth={1.5}
        markers={markers}
      />
    </figure>
  );
});

/** The circumplex trail of one segment: every reading in it (thinned), oldest faint, newest solid. */
function SegmentTrail({ recording, segment }: { recording: Recording; segment: SegmentSummary }) {
  const size = 260;
  const scale = (v: number): number => ((Math.max(-1.2, Math.min(1.2, v)) + 1.2) / 2.4) * size;
  const points = thin(
    recording.frames.slice(segment.firstFrame, segment.endFrame).filter((f) => f.valence !== null && f.arousal !== null),
    TRAIL_POINTS,
  );
  const path = points.map((f, i) => `${i ? 'L' : 'M'}${scale(f.valence!).toFixed(1)},${scale(-f.arousal!).toFixed(1)}`).join(' ');
  return (
    <figure
      className="segment-trail"
      data-testid="segment-trail"
      data-points={points.length}
      aria-label={`Circumplex trail of segment "${segment.label}", ${points.length} readings`}
    >
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-hidden="true">
        <circle cx={size / 2} cy={size / 2} r={size / 2.4} className="unit-circle" fill="none" />
        <line x1={0} x2={size} y1={size / 2} y2={size / 2} className="axis-line" />
        <line y1={0} y2={size} x1={size / 2} x2={size / 2} className="axis-line" />
        <text x={size - 4} y={size / 2 - 4} textAnchor="end" className="emotion-word">
          valence
        </text>
        <text x={size / 2 + 4} y={12} className="emotion-word">
          arousal
        </text>
        <path d={path} className="trail-path" fill="none" />
        {points.map((f, i) => (
          <circle
            key={i}
            cx={scale(f.valence!)}
            cy={scale(-f.arousal!)}
            r={2.5}
            className="trail-dot"
            fillOpacity={0.15 + (0.85 * (i + 1)) / points.length}
          />
        ))}
      </svg>
      <figcaption>
        {segment.label}: valence {spread(segment.valence)}, arousal {spread(segment.arousal)}
      </figcaption>
    </figure>
  );
}

/** A stored, analysed or imported recording: its timeline with markers, per-segment summaries, and one segment's trail. */
export function ReviewView() {
  const actions = useResearchActions();
  const recording = useResearch((s) => s.review);
  const [selected, setSelected] = useState(0);
  const segments = useMemo(() => (recording ? summariseSegments(recording) : []), [recording]);
  if (!recording) return null;
  const segment = segments[Math.min(selected, segments.length - 1)];
  const b = recording.baseline;
  return (
    <section className="panel review" aria-label="Review" data-testid="review" data-id={recording.id} data-frames={recording.frames.length}>
      <div className="row">
        <h2>{recording.name}</h2>
        <button type="button" onClick={() => actions()?.download('csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => actions()?.download('json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => actions()?.closeReview()}>
          Close review
        </button>
      </div>
      <p className="muted">
        {recording.source.kind === 'file' ? `Video file ${recording.source.name}` : `Camera: ${recording.source.label}`}, started{' '}
        {new Date(recording.startedAt).toLocaleString()}, {recording.frames.length} frames, {recording.markers.length} markers.{' '}
        {b ? `Baseline: valence ${spread(b.valence)}, arousal ${spread(b.arousal)} (${b.frames} frames).` : 'No baseline.'}
      </p>
      <ReviewTimeline recording={recording} />
      <table className="segments" data-testid="segments">
        <caption>Per-marker segments</caption>
        <thead>
          <tr>
            <th>show</th>
            <th>segment</th>
            <th>from</th>
            <th>to</th>
            <th>frames</th>
            <th>valence mean ± sd</th>
            <th>arousal mean ± sd</th>
            <th>vs baseline (v, a)</th>
            <th>top category</th>
          </tr>
        </thead>
        <tbody>
          {segments.map((s, i) => (
            <tr key={`${s.marker}-${i}`} data-testid="segment-row">
              <td>
                <input
                  type="radio"
                  name="segment"
                  aria-label={`Show segment ${s.label}`}
                  checked={segment === s}
                  onChange={() => setSelected(i)}
                />
              </td>
              <td>{s.label}</td>
              <td>{(s.startMs / 1000).toFixed(1)} s</td>
              <td>{(s.endMs / 1000).toFixed(1)} s</td>
              <td>{s.frames}</td>
              <td>{spread(s.valence)}</td>
              <td>{spread(s.arousal)}</td>
              <td>{s.relative ? `${fmt(s.relative.valence)}, ${fmt(s.relative.arousal)}` : '–'}</td>
              <td>{s.topCategory ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {segment && (
        <div className="row">
          <SegmentTrail recording={recording} segment={segment} />
          <button
            type="button"
            disabled={segment.readings === 0}
            onClick={() => void actions()?.setReviewBaseline(segment.firstFrame, segment.endFrame)}
          >
            Use this segment as the baseline
          </button>
        </div>
      )}
    </section>
  );
}
