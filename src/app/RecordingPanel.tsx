import { useEffect, useId, useState } from 'react';
import { relativeToBaseline } from '../features/recording/baseline.ts';
import { useResearch, useResearchActions } from './research/research-context.tsx';
import { useAppStore } from './store-context.tsx';

const fmt = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : (v >= 0 ? '+' : '') + v.toFixed(2));

/** True when a key press belongs to a text field or control, not to the page's shortcuts. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The current reading, raw and relative to the baseline (two decimals, so it repaints only when a shown digit changes). */
function BaselineReadout() {
  const baseline = useResearch((s) => s.baseline);
  const valence = useAppStore((s) => fmt(s.frame?.va?.valence));
  const arousal = useAppStore((s) => fmt(s.frame?.va?.arousal));
  const relValence = useAppStore((s) => fmt(relativeToBaseline(s.frame?.va?.valence ?? null, 'valence', baseline ?? null)));
  const relArousal = useAppStore((s) => fmt(relativeToBaseline(s.frame?.va?.arousal ?? null, 'arousal', baseline ?? null)));
  if (!baseline) return <p className="muted">No baseline yet: calibrate with the participant at rest.</p>;
  return (
    <table className="baseline-table" data-testid="baseline">
      <thead>
        <tr>
          <th />
          <th>valence</th>
          <th>arousal</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>baseline</th>
          <td data-testid="baseline-valence">
            {fmt(baseline.valence.mean)} ± {baseline.valence.sd.toFixed(2)}
          </td>
          <td>
            {fmt(baseline.arousal.mean)} ± {baseline.arousal.sd.toFixed(2)}
          </td>
        </tr>
        <tr>
          <th>now, raw</th>
          <td>{valence}</td>
          <td>{arousal}</td>
        </tr>
        <tr>
          <th>now, relative</th>
          <td>{relValence}</td>
          <td>{relArousal}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Record / stop, markers (button or the M key) and baseline calibration for a live study session. */
export function RecordingPanel() {
  const actions = useResearchActions();
  const recorder = useResearch((s) => s.recorder);
  const calibration = useResearch((s) => s.calibration);
  const analysing = useResearch((s) => s.analysis.status === 'running');
  const storage = useResearch((s) => s.storage);
  const [label, setLabel] = useState('');
  const [seconds, setSeconds] = useState(10);
  const ids = { label: useId(), seconds: useId() };
  const recording = recorder.status === 'recording';

  useEffect(() => {
    if (!recording) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key.toLowerCase() !== 'm' || e.ctrlKey || e.metaKey || e.altKey || e.repeat || typing(e.target)) return;
      e.preventDefault();
      actions()?.addMarker('');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [recording, actions]);

  const addMarker = (): void => {
    actions()?.addMarker(label);
    setLabel('');
  };

  return (
    <section className="panel recording" aria-label="Recording">
      <div className="row">
        <button
          type="button"
          disabled={storage !== 'ready' || analysing}
          onClick={() => void (recording ? actions()?.stopRecording() : actions()?.startRecording())}
        >
          {recording ? 'Stop recording' : 'Record'}
        </button>
        <span
          role="status"
          data-testid="recorder"
          data-status={recorder.status}
          data-frames={recording ? recorder.frames : 0}
          data-markers={recording ? recorder.markers : 0}
          data-id={recording ? recorder.id : ''}
        >
          {recording ? `Recording: ${recorder.frames} frames, ${recorder.markers} markers` : 'Not recording'}
        </span>
      </div>
      <div className="row">
        <label htmlFor={ids.label}>Marker label</label>
        <input
          id={ids.label}
          value={label}
          placeholder="e.g. stimulus 1 onset"
          disabled={!recording}
          onChange={(e) => setLabel(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') addMarker();
          }}
        />
        <button type="button" disabled={!recording} onClick={addMarker} aria-keyshortcuts="M">
          Add marker (M)
        </button>
      </div>
      <div className="row">
        <label htmlFor={ids.seconds}>Baseline seconds</label>
        <input
          id={ids.seconds}
          type="number"
          min={1}
          max={120}
          value={seconds}
          onChange={(e) => setSeconds(Math.max(1, Math.min(120, Number(e.currentTarget.value) || 1)))}
        />
        <button type="button" disabled={calibration.status === 'running'} onClick={() => actions()?.calibrate(seconds)}>
          {calibration.status === 'running' ? `Calibrating… (${calibration.frames} frames)` : 'Calibrate baseline'}
        </button>
      </div>
      {calibration.status === 'failed' && <p role="alert">{calibration.message}</p>}
      <BaselineReadout />
    </section>
  );
}
