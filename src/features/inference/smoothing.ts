/**
 * Exponential smoothing of the per-frame valence/arousal, by elapsed time rather than per frame, so the
 * readout responds the same at 10 or 30 fps. A frame-level CNN jitters (research notes §5: jitter is the
 * first complaint about browser emotion demos); a time constant of 0.3 s removes most of it while still
 * following an expression's onset (CK+ onsets take about 0.5-1 s).
 */
import type { ValenceArousal } from '../../core/emotions.ts';

export const SMOOTHING_TIME_CONSTANT_MS = 300;

/** The smoothed value after a new sample `dtMs` after the previous one; the first sample passes through. */
export function smoothValenceArousal(
  previous: ValenceArousal | undefined,
  sample: ValenceArousal,
  dtMs: number,
  timeConstantMs: number = SMOOTHING_TIME_CONSTANT_MS,
): ValenceArousal {
  if (!previous || timeConstantMs <= 0) return sample;
  const alpha = 1 - Math.exp(-Math.max(0, dtMs) / timeConstantMs);
  return {
    valence: previous.valence + alpha * (sample.valence - previous.valence),
    arousal: previous.arousal + alpha * (sample.arousal - previous.arousal),
  };
}
