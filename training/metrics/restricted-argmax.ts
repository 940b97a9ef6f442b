import type { Emotion } from '../../src/core/emotions.ts';

/**
 * The highest-scoring class among `allowed`, reading `scores` in the model's output order `labels`: a model
 * scored on a dataset without, say, neutral cannot lose a point by answering neutral. Ties go to the
 * earlier output, as argmax does.
 */
export function restrictedArgmax(scores: ArrayLike<number>, labels: readonly Emotion[], allowed: ReadonlySet<Emotion>): Emotion {
  if (scores.length !== labels.length) throw new Error(`restrictedArgmax: ${scores.length} scores for ${labels.length} labels`);
  let best: Emotion | undefined;
  let bestScore = -Infinity;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const score = scores[i] ?? NaN;
    if (label === undefined || !allowed.has(label)) continue;
    if (Number.isNaN(score)) throw new Error(`restrictedArgmax: score ${i} (${label}) is NaN`);
    if (best === undefined || score > bestScore) {
      best = label;
      bestScore = score;
    }
  }
  if (best === undefined) throw new Error(`restrictedArgmax: none of the model's classes (${labels.join(', ')}) is allowed (${[...allowed].join(', ')})`);
  return best;
}
