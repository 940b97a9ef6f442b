/**
 * A constant added to one class's logit (a prior correction, "logit adjustment"): p'(c) ∝ p(c) · e^offset(c).
 * Written into the 'classes' head's bias, so the shipped model itself carries it: the app, the exporter's goldens
 * and every evaluation see the same probabilities, and the 300-d features and valence/arousal are untouched.
 */
import * as tf from '../backend/tf.ts';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { CLASSES_OUTPUT } from '../models/heads.ts';
import { scoreOnClasses, type ClassScore } from '../evaluation/score-on-classes.ts';

export type ClassOffsets = Partial<Record<Emotion, number>>;

/** Probabilities as the model would give them with `offsets` added to its logits (rows renormalised). */
export function offsetProbs(probs: readonly (readonly number[])[], offsets: ClassOffsets): number[][] {
  const factor = EMOTIONS.map((e) => Math.exp(offsets[e] ?? 0));
  return probs.map((row) => {
    const scaled = row.map((p, i) => p * (factor[i] ?? 1));
    const sum = scaled.reduce((a, b) => a + b, 0);
    return scaled.map((p) => p / sum);
  });
}

/** Adds the offsets to the bias of the model's softmax 'classes' layer, in place. */
export function addClassOffsets(model: tf.LayersModel, offsets: ClassOffsets): void {
  const layer = model.getLayer(CLASSES_OUTPUT);
  const [kernel, bias] = layer.getWeights();
  if (!kernel || !bias || bias.shape[0] !== EMOTIONS.length)
    throw new Error(`the '${CLASSES_OUTPUT}' layer has no ${EMOTIONS.length}-class bias to offset`);
  const delta = tf.tensor1d(EMOTIONS.map((e) => offsets[e] ?? 0));
  const shifted = tf.add(bias, delta);
  layer.setWeights([kernel, shifted]);
  // getWeights() hands out the variables' own tensors: only the two made here are freed.
  tf.dispose([delta, shifted]);
}

/** One validation set's predictions: EMOTIONS-index labels (-1 = none), mirror-averaged probabilities, its classes. */
export interface ScoredSet {
  readonly name: string;
  readonly labels: readonly number[];
  readonly probs: readonly (readonly number[])[];
  readonly classes: readonly Emotion[];
}

export interface OffsetRow {
  offset: number;
  scores: ClassScore[];
  /** Mean macro-F1 over the sets: the choice criterion. */
  meanMacroF1: number;
}

/** Scores every candidate offset of `emotion` on every set; the best row is the one with the highest mean macro-F1. */
export function scanOffsets(
  sets: readonly ScoredSet[],
  emotion: Emotion,
  candidates: readonly number[],
): { rows: OffsetRow[]; best: OffsetRow } {
  if (candidates.length === 0 || sets.length === 0) throw new Error('scanOffsets: needs at least one candidate and one set');
  const rows = candidates.map((offset) => {
    const scores = sets.map((s) => scoreOnClasses(s.labels, offsetProbs(s.probs, { [emotion]: offset }), s.classes));
    return { offset, scores, meanMacroF1: scores.reduce((a, s) => a + s.macroF1, 0) / scores.length };
  });
  const best = rows.reduce((a, r) => (r.meanMacroF1 > a.meanMacroF1 ? r : a));
  return { rows, best };
}
