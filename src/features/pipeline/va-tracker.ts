/**
 * The readout's state between frames, stepped through stages 5-7: the streaming GRU's window, the smoothed value
 * and the frames missed in a row. A frame with a face runs stages 5 (temporal) and 6 (smoothing), one without a face
 * stage 7 (face lost), which may restart the other two.
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import type { StreamingGru } from '../../core/streaming-gru.ts';
import { DEFAULT_FACE_LOST_POLICY } from '../inference/face-lost.ts';
import type { FaceLostPhase, FaceLostPolicy } from '../inference/face-lost.ts';
import { SMOOTHING_TIME_CONSTANT_MS } from '../inference/smoothing.ts';
import { temporalReading } from './stages/5-temporal.ts';
import type { CnnReading } from './stages/5-temporal.ts';
import { NOTHING_SMOOTHED, smoothReading } from './stages/6-smoothing.ts';
import { whileFaceLost } from './stages/7-face-lost.ts';

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
  face(cnn: CnnReading, timestampMs: number): TrackedValue;
  /** A frame without a face. */
  noFace(timestampMs: number): TrackedValue;
  reset(): void;
}

export function createVaTracker(options: { gru?: StreamingGru; policy?: FaceLostPolicy; timeConstantMs?: number } = {}): VaTracker {
  const policy = options.policy ?? DEFAULT_FACE_LOST_POLICY;
  const tau = options.timeConstantMs ?? SMOOTHING_TIME_CONSTANT_MS;
  const gru = options.gru;
  let smoothed = NOTHING_SMOOTHED;
  let missed = 0;

  const reset = (): void => {
    gru?.reset();
    smoothed = NOTHING_SMOOTHED;
  };

  return {
    face(cnn, timestampMs) {
      missed = 0;
      const { sample, temporal } = temporalReading(gru, cnn);
      smoothed = smoothReading(smoothed, sample, timestampMs, tau);
      return { va: smoothed.value, temporal, coverage: gru?.coverage ?? 0, phase: 'tracking', missed };
    },
    noFace() {
      missed++;
      const lost = whileFaceLost(smoothed.value, missed, policy);
      if (lost.restart && (smoothed.value !== undefined || (gru?.frames ?? 0) > 0)) reset();
      return { va: lost.va, temporal: undefined, coverage: gru?.coverage ?? 0, phase: lost.phase, missed };
    },
    reset,
  };
}
