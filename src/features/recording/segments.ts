/**
 * Per-marker segments of a recording: the stretch before the first marker, then one segment from each
 * marker to the next (or the end). Each gets the mean and spread of valence/arousal (raw and relative to
 * the baseline) and its top category, the class with the highest mean probability over its analysed frames.
 */
import { meanAndSpread } from './stats.ts';
import type { FrameRow, Recording } from './schema.ts';

export interface SegmentSummary {
  /** The marker's label that opens the segment; "start" before the first marker. */
  readonly label: string;
  /** Index of the opening marker in `recording.markers`; -1 for the stretch before the first one. */
  readonly marker: number;
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  /** Indices into `recording.frames`, [first, end). */
  readonly firstFrame: number;
  readonly endFrame: number;
  readonly frames: number;
  /** Frames with a valence/arousal reading. */
  readonly readings: number;
  readonly valence: { readonly mean: number; readonly sd: number } | undefined;
  readonly arousal: { readonly mean: number; readonly sd: number } | undefined;
  /** Means minus the baseline's (undefined without a baseline). */
  readonly relative: { readonly valence: number; readonly arousal: number } | undefined;
  readonly topCategory: string | undefined;
}

/** The first index in `frames` (sorted by t) whose t is >= `t`. */
function firstAtOrAfter(frames: readonly FrameRow[], t: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function topCategory(frames: readonly FrameRow[], labels: readonly string[]): string | undefined {
  const sums = new Array<number>(labels.length).fill(0);
  let n = 0;
  for (const f of frames) {
    if (!f.probs) continue;
    n++;
    f.probs.forEach((p, i) => (sums[i]! += p));
  }
  if (n === 0) return undefined;
  return labels[sums.indexOf(Math.max(...sums))];
}

export function summariseSegments(recording: Pick<Recording, 'frames' | 'markers' | 'labels' | 'baseline'>): SegmentSummary[] {
  const { frames, labels, baseline } = recording;
  const markers = recording.markers.map((m, i) => ({ label: m.label, t: m.t, i })).sort((a, b) => a.t - b.t);
  const lastT = frames.at(-1)?.t ?? 0;
  const opens = [{ label: 'start', t: 0, i: -1 }, ...markers];
  const segments = opens.map((open, k): SegmentSummary => {
    const next = opens[k + 1];
    const firstFrame = firstAtOrAfter(frames, open.t);
    const endFrame = next ? firstAtOrAfter(frames, next.t) : frames.length;
    const slice = frames.slice(firstFrame, endFrame);
    const read = slice.filter((f) => f.valence !== null && f.arousal !== null);
    const valence = read.length ? meanAndSpread(read.map((f) => f.valence!)) : undefined;
    const arousal = read.length ? meanAndSpread(read.map((f) => f.arousal!)) : undefined;
    return {
      label: open.label,
      marker: open.i,
      startMs: open.t,
      endMs: next?.t ?? Math.max(lastT, open.t),
      firstFrame,
      endFrame,
      frames: slice.length,
      readings: read.length,
      valence,
      arousal,
      relative:
        baseline && valence && arousal
          ? { valence: valence.mean - baseline.valence.mean, arousal: arousal.mean - baseline.arousal.mean }
          : undefined,
      topCategory: topCategory(slice, labels),
    };
  });
  // Nothing before the first marker (it was set at the start): no empty "start" row.
  return segments.filter((s) => s.marker >= 0 || s.frames > 0 || markers.length === 0);
}

/** The label of the marker whose segment holds time `t` ("" before the first marker), as the CSV's `segment` column. */
export function segmentLabelAt(markers: readonly { readonly t: number; readonly label: string }[], t: number): string {
  let label = '';
  let latest = -Infinity;
  for (const m of markers) {
    if (m.t <= t && m.t >= latest) {
      latest = m.t;
      label = m.label;
    }
  }
  return label;
}
