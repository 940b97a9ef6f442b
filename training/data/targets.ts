import { EMOTIONS, circumplexPoint, emotionIndex, expectedValenceArousal, FERPLUS_VOTE_COLUMNS } from '../../src/core/emotions.ts';
import type { Emotion } from '../../src/core/emotions.ts';
import type { VaTarget } from './types.ts';

/**
 * FER+ "majority" label, as Microsoft's reference reader computes it (FERPlus `src/ferplus.py`,
 * `_process_data(mode='majority')`, after Barsoum et al. 2016, arXiv 1608.01041): single votes are dropped as
 * outliers, then the top class must hold more than half of the remaining votes, and images whose top class is
 * "unknown" or "not a face" are left out. Ties can never pass the more-than-half test. Returns undefined when the
 * image has no majority label. `votes` has the 10 label.csv columns in file order.
 */
export function ferPlusMajority(votes: readonly number[]): Emotion | undefined {
  if (votes.length !== FERPLUS_VOTE_COLUMNS.length)
    throw new Error(`ferPlusMajority: expected ${FERPLUS_VOTE_COLUMNS.length} votes, got ${votes.length}`);
  const kept = votes.map((v) => (v <= 1 ? 0 : v));
  const total = kept.reduce((a, b) => a + b, 0);
  let best = 0;
  for (let i = 1; i < kept.length; i++) if ((kept[i] ?? 0) > (kept[best] ?? 0)) best = i;
  if (!((kept[best] ?? 0) > 0.5 * total) || best >= EMOTIONS.length) return undefined;
  return EMOTIONS[best];
}

/**
 * The annotators' distribution over the 8 canonical classes: the emotion votes ("unknown" and "not a face"
 * dropped), normalised, with no outlier removal. Undefined when no annotator chose an emotion.
 */
export function voteDistribution(votes: readonly number[]): Float32Array | undefined {
  const probs = new Float32Array(EMOTIONS.length);
  let total = 0;
  for (let i = 0; i < EMOTIONS.length; i++) total += votes[i] ?? 0;
  if (total <= 0) return undefined;
  for (let i = 0; i < EMOTIONS.length; i++) probs[i] = (votes[i] ?? 0) / total;
  return probs;
}

export function oneHot(label: Emotion): Float32Array {
  const probs = new Float32Array(EMOTIONS.length);
  probs[emotionIndex(label)] = 1;
  return probs;
}

/**
 * Valence/arousal derived from a class distribution: the expected circumplex position (src/core/emotions.ts,
 * Russell 1980 angles). For a one-hot distribution this is the class's own point.
 */
export function derivedVa(probs: Float32Array): VaTarget {
  return expectedValenceArousal(probs);
}

/** A class's own circumplex point, for datasets that give one class per image. */
export function classVa(label: Emotion): VaTarget {
  return circumplexPoint(label);
}
