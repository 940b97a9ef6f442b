/**
 * Baseline calibration: the participant's resting face over a few seconds gives a personal zero, and
 * readings are also reported relative to it (reading - baseline mean), since resting faces differ
 * between people far more than the changes a stimulus brings.
 */
import type { Baseline, FrameRow } from './schema.ts';
import { meanAndSpread } from './stats.ts';

/** The baseline from the frames of a resting period; undefined when none of them has a reading. */
export function computeBaseline(frames: readonly FrameRow[], durationMs: number): Baseline | undefined {
  const read = frames.filter((f) => f.valence !== null && f.arousal !== null);
  if (read.length === 0) return undefined;
  return {
    durationMs,
    frames: read.length,
    valence: meanAndSpread(read.map((f) => f.valence!)),
    arousal: meanAndSpread(read.map((f) => f.arousal!)),
  };
}

/** A reading relative to the baseline; null when there is no reading or no baseline. */
export function relativeToBaseline(value: number | null, axis: 'valence' | 'arousal', baseline: Baseline | null): number | null {
  if (value === null || baseline === null) return null;
  return value - baseline[axis].mean;
}
