/**
 * Per-frame valence/arousal for the readout: the temporal model's rolling-window output when there is one
 * (else the CNN's own head), smoothed over time, with the face-lost policy (face-lost.ts) applied.
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import type { StreamingGru } from '../../core/streaming-gru.ts';
import { DEFAULT_FACE_LOST_POLICY, faceLostPhase, valueWhileLost } from './face-lost.ts';
import type { FaceLostPhase, FaceLostPolicy } from './face-lost.ts';
import { smoothValenceArousal, SMOOTHING_TIME_CONSTANT_MS } from './smoothing.ts';

export interface TrackedValue {
  /** What to show; undefined before the first face and after a reset. */
  readonly va: ValenceArousal | undefined;
  /** The temporal model's raw output this frame (when it ran). */
  readonly temporal: ValenceArousal | undefined;
  /** Frames behind the temporal output (0 without a temporal model). */
  readonly coverage: number;
  readonly phase: FaceLostPhase;
  readonly missed: number;
}

export interface VaTracker {
  /**
   * A frame with a face: the CNN's output for it. `vaCorrection` (a personal calibration's valence/arousal
   * correction for this frame, personal-head.ts) is added to the reading, temporal or not, before smoothing.
   */
  face(cnn: { features: ArrayLike<number>; va: ValenceArousal; vaCorrection?: ValenceArousal }, timestampMs: number): TrackedValue;
  /** A frame without a face. */
  noFace(timestampMs: number): TrackedValue;
  reset(): void;
}

export function createVaTracker(options: { gru?: StreamingGru; policy?: FaceLostPolicy; timeConstantMs?: number } = {}): VaTracker {
  const policy = options.policy ?? DEFAULT_FACE_LOST_POLICY;
  const tau = options.timeConstantMs ?? SMOOTHING_TIME_CONSTANT_MS;
  const gru = options.gru;
  let smoothed: ValenceArousal | undefined;
  let lastTime: number | undefined;
  let missed = 0;

  const reset = (): void => {
    gru?.reset();
    smoothed = undefined;
    lastTime = undefined;
  };

  return {
    face(cnn, timestampMs) {
      missed = 0;
      let temporal: ValenceArousal | undefined;
      let sample = cnn.va;
      if (gru) {
        const out = gru.push(cnn.features);
        temporal = { valence: out[0] ?? 0, arousal: out[1] ?? 0 };
        sample = temporal;
      }
      if (cnn.vaCorrection) sample = { valence: sample.valence + cnn.vaCorrection.valence, arousal: sample.arousal + cnn.vaCorrection.arousal };
      smoothed = smoothValenceArousal(smoothed, sample, lastTime === undefined ? 0 : timestampMs - lastTime, tau);
      lastTime = timestampMs;
      return { va: smoothed, temporal, coverage: gru?.coverage ?? 0, phase: 'tracking', missed };
    },
    noFace() {
      missed++;
      const phase = faceLostPhase(missed, policy);
      const va = valueWhileLost(smoothed, missed, policy);
      if (phase === 'reset' && (smoothed !== undefined || (gru?.frames ?? 0) > 0)) reset();
      return { va, temporal: undefined, coverage: gru?.coverage ?? 0, phase, missed };
    },
    reset,
  };
}
