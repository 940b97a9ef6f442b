import { useEffect, useRef } from 'react';
import { CAPTURE_DEFAULTS, type CaptureState, type FrameCue } from '../features/calibration/capture.ts';
import { usePersonalActions } from './personal/personal-context.tsx';

const CUE_TEXT: Record<FrameCue, string> = {
  kept: 'Good: hold it',
  'no-face': 'No face found: face the camera',
  'several-faces': 'More than one face in view',
  'low-quality': 'Too dark, too far or unclear',
  'hold-still': 'Hold still',
};

/** The guided capture: which expression, the countdown, a live cue, and a way out at every moment (Escape too). */
export function CaptureDialog({ capture, now }: { capture: CaptureState; now: number }) {
  const actions = usePersonalActions();
  const readyRef = useRef<HTMLButtonElement>(null);
  const waiting = capture.phase === 'waiting';
  // Each new expression: the Ready button takes the focus, so Enter or Space starts it.
  const stepIndex = capture.phase === 'captured' ? -1 : capture.index;
  useEffect(() => {
    if (waiting) readyRef.current?.focus();
  }, [waiting, stepIndex]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') actions()?.cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  const index = capture.phase === 'captured' ? capture.steps.length : capture.index;
  const step = capture.steps[Math.min(index, capture.steps.length - 1)]!;
  let line: string;
  if (capture.phase === 'waiting') line = 'Make the expression, then press Ready';
  else if (capture.phase === 'countdown')
    line = `Get ready: ${Math.max(1, Math.ceil((CAPTURE_DEFAULTS.countdownMs - (now - capture.since)) / 1000))}`;
  else if (capture.phase === 'capturing') line = capture.cue ? CUE_TEXT[capture.cue] : 'Capturing…';
  else if (capture.phase === 'failed') line = capture.message;
  else line = 'All expressions captured';
  return (
    <div
      className="capture-dialog"
      role="dialog"
      aria-labelledby="capture-title"
      data-testid="capture-dialog"
      data-phase={capture.phase}
      data-step={step.emotion}
    >
      <h3 id="capture-title">
        Calibrate to me: {Math.min(index + 1, capture.steps.length)} of {capture.steps.length}
      </h3>
      <p className="capture-prompt" aria-live="assertive" data-testid="capture-prompt">
        {step.prompt}
      </p>
      <p role="status" data-testid="capture-cue" data-cue={capture.phase === 'capturing' ? (capture.cue ?? '') : ''}>
        {line}
      </p>
      {capture.phase === 'capturing' && (
        <progress
          max={CAPTURE_DEFAULTS.minFrames}
          value={Math.min(capture.stepFrames, CAPTURE_DEFAULTS.minFrames)}
          aria-label="Clear frames of this expression"
        />
      )}
      <div className="row">
        {waiting && (
          <button type="button" ref={readyRef} onClick={() => actions()?.ready()}>
            Ready
          </button>
        )}
        {capture.phase === 'failed' && (
          <button type="button" onClick={() => actions()?.retry()}>
            Try this expression again
          </button>
        )}
        <button type="button" onClick={() => actions()?.cancel()}>
          Cancel (Esc)
        </button>
      </div>
    </div>
  );
}
