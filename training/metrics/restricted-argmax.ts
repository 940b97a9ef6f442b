import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { argmaxAmong } from '../../src/core/personal-head.ts';

/**
 * The highest-scoring class among `allowed`, reading `scores` in the model's output order `labels`: a model
 * scored on a dataset without, say, neutral cannot lose a point by answering neutral. Ties go to the
 * earlier output, as argmax does. The choice itself is the app's (src/core/personal-head.ts, argmaxAmong, on
 * outputs in EMOTIONS order); this puts any model's outputs in that order and refuses mismatched or NaN scores.
 */
export function restrictedArgmax(scores: ArrayLike<number>, labels: readonly Emotion[], allowed: ReadonlySet<Emotion>): Emotion {
  if (scores.length !== labels.length) throw new Error(`restrictedArgmax: ${scores.length} scores for ${labels.length} labels`);
  const byEmotion = new Array<number>(EMOTIONS.length).fill(-Infinity);
  // In output order, so that argmaxAmong's tie rule (the earlier candidate) is the earlier output.
  const candidates: Emotion[] = [];
  labels.forEach((label, i) => {
    if (!allowed.has(label)) return;
    const score = scores[i] ?? NaN;
    if (Number.isNaN(score)) throw new Error(`restrictedArgmax: score ${i} (${label}) is NaN`);
    byEmotion[EMOTIONS.indexOf(label)] = score;
    candidates.push(label);
  });
  if (candidates.length === 0)
    throw new Error(`restrictedArgmax: none of the model's classes (${labels.join(', ')}) is allowed (${[...allowed].join(', ')})`);
  return argmaxAmong(byEmotion, candidates);
}
