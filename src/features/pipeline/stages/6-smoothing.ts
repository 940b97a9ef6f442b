/**
 * Stage 6 of a frame with a face, in the model worker: the sample of stage 5 smoothed by elapsed time
 * (smoothing.ts says why 0.3 s), so the readout does not jitter frame to frame.
 */
import type { ValenceArousal } from '../../../core/emotions.ts';
import { smoothValenceArousal, SMOOTHING_TIME_CONSTANT_MS } from '../../inference/smoothing.ts';

export interface Smoothed {
  /** The readout so far; undefined before the first face and after a reset. */
  readonly value: ValenceArousal | undefined;
  /** The timestamp of the last sample. */
  readonly lastTime: number | undefined;
}

export const NOTHING_SMOOTHED: Smoothed = { value: undefined, lastTime: undefined };

/** The readout after `sample` at `timestampMs`; the first sample passes through. */
export function smoothReading(
  previous: Smoothed,
  sample: ValenceArousal,
  timestampMs: number,
  timeConstantMs = SMOOTHING_TIME_CONSTANT_MS,
): Smoothed {
  const dt = previous.lastTime === undefined ? 0 : timestampMs - previous.lastTime;
  return { value: smoothValenceArousal(previous.value, sample, dt, timeConstantMs), lastTime: timestampMs };
}
