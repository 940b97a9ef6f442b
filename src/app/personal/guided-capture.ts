/**
 * Drives the guided capture of "Calibrate to me" (features/calibration/capture.ts, a pure state machine) with
 * the live session's frames and a clock tick, keeping its state in the personal store; a finished capture's
 * frames go to `onCaptured`.
 */
import type { CalibrationFrame } from '../../core/personal-head.ts';
import { addFrame, ready as readyForStep, retryStep, startCapture, tick, type CaptureState } from '../../features/calibration/capture.ts';
import type { LiveSession } from '../live/live-session.ts';
import type { PersonalState, PersonalStore } from './personal-store.ts';

const TICK_MS = 100;

export interface GuidedCapture {
  /** Starts the capture (disgust and fear too when `includeOptional`), unless one runs or a fit is under way. */
  start(includeOptional: boolean): void;
  /** The person is ready for the expression asked for: its countdown starts. */
  ready(): void;
  /** Retries the failed step. */
  retry(): void;
  /** Stops the clock (the capture is cancelled or over). */
  stop(): void;
  dispose(): void;
}

export function createGuidedCapture(
  store: PersonalStore,
  set: (patch: Partial<PersonalState>) => void,
  live: LiveSession,
  onCaptured: (frames: readonly CalibrationFrame[]) => void,
): GuidedCapture {
  let timer: ReturnType<typeof setInterval> | undefined;
  const capturing = (): CaptureState | undefined => {
    const s = store.getState().status;
    return s.kind === 'capturing' ? s.capture : undefined;
  };
  const stop = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  const setCapture = (capture: CaptureState): void => {
    set({ status: { kind: 'capturing', capture, now: performance.now() } });
    if (capture.phase !== 'captured') return;
    stop();
    onCaptured(capture.frames);
  };
  const stopListening = live.onFrame(({ result }) => {
    const capture = capturing();
    if (capture) setCapture(addFrame(capture, result));
  });

  return {
    start(includeOptional) {
      if (capturing() || store.getState().status.kind === 'fitting') return;
      setCapture(startCapture(performance.now(), includeOptional));
      timer = setInterval(() => {
        const capture = capturing();
        if (capture) setCapture(tick(capture, performance.now()));
      }, TICK_MS);
    },
    ready() {
      const capture = capturing();
      if (capture?.phase === 'waiting') setCapture(readyForStep(capture, performance.now()));
    },
    retry() {
      const capture = capturing();
      if (capture?.phase === 'failed') setCapture(retryStep(capture, performance.now()));
    },
    stop,
    dispose() {
      stop();
      stopListening();
    },
  };
}
