import type { QualityIssue } from '../features/inference/face-quality.ts';
import { usePersonal } from './personal/personal-context.tsx';
import { useAppStore } from './store-context.tsx';
import { selectBackend, selectFirstPredictionMs, selectFps, selectFrame, selectLatency, selectTemporal } from './store.ts';

const ISSUE_TEXT: Record<QualityIssue, string> = { dark: 'too dark', bright: 'too bright', small: 'move closer', uncertain: 'unclear' };

const ms = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(1));

/** Performance and health: fps, per-stage times, backend and why, live tensor count, face quality. */
export function Hud() {
  const frame = useAppStore(selectFrame);
  const fps = useAppStore(selectFps);
  const latency = useAppStore(selectLatency);
  const backend = useAppStore(selectBackend);
  const temporal = useAppStore(selectTemporal);
  const firstMs = useAppStore(selectFirstPredictionMs);
  const t = frame?.timings;
  const q = frame?.analysis?.quality;
  const profileKey = frame?.analysis?.profile;
  const profileName = usePersonal((s) => s.profiles.find((p) => profileKey?.startsWith(`${p.id}:`))?.name);
  return (
    <section
      className="panel hud"
      aria-labelledby="hud-title"
      data-testid="hud"
      data-tensors={frame?.numTensors ?? ''}
      data-backend={backend?.backend ?? ''}
    >
      <h2 id="hud-title">Performance</h2>
      <dl>
        <dt>Frames/s</dt>
        <dd data-testid="fps">{fps === undefined ? '–' : fps.toFixed(1)}</dd>
        <dt>Backend</dt>
        <dd data-testid="backend" title={backend?.reason}>
          {backend ? backend.backend : '–'}
        </dd>
        <dt>Why</dt>
        <dd data-testid="backend-reason" className="reason">
          {backend?.reason ?? '–'}
        </dd>
        <dt>Stages (ms)</dt>
        <dd data-testid="stage-ms">
          grab {ms(latency?.grab)} · detect {ms(t?.detect)} · crop {ms(t?.crop)} · CNN {ms(t?.cnn)} · GRU {ms(t?.gru)}
        </dd>
        <dt>Frame total</dt>
        <dd data-testid="total-ms">{ms(latency?.total)} ms</dd>
        <dt>Tensors</dt>
        <dd data-testid="tensor-count">{frame?.numTensors ?? '–'}</dd>
        <dt>Model</dt>
        <dd data-testid="hud-model" data-profile={profileKey ?? ''}>
          {profileKey ? `shipped + personal calibration "${profileName ?? profileKey}"` : 'shipped'}
        </dd>
        <dt>Temporal</dt>
        <dd>{temporal ? `streaming GRU, ${frame?.coverage ?? 0} frames` : 'none (CNN, smoothed)'}</dd>
        <dt>First reading</dt>
        <dd data-testid="first-prediction-ms">{firstMs === undefined ? '–' : `${(firstMs / 1000).toFixed(2)} s`}</dd>
        <dt>Face</dt>
        <dd
          data-testid="face-quality"
          data-size={q?.sizePx.toFixed(0) ?? ''}
          data-brightness={q?.brightness.toFixed(0) ?? ''}
          data-score={q?.score.toFixed(2) ?? ''}
        >
          {q
            ? `${q.sizePx.toFixed(0)} px (${(q.sizeFraction * 100).toFixed(0)}%) · brightness ${q.brightness.toFixed(0)} · score ${q.score.toFixed(2)}`
            : '–'}
          {q?.issues.map((issue) => (
            <span key={issue} className="warning">
              {' '}
              · {ISSUE_TEXT[issue]}
            </span>
          ))}
        </dd>
      </dl>
    </section>
  );
}
