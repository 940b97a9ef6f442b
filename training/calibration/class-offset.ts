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
  /** Recall of each guarded class on the guarded set (empty without a guard). */
  guardedRecall: Partial<Record<Emotion, number>>;
  /** Every guarded class keeps at least the guard's recall. */
  passes: boolean;
}

/**
 * Classes an offset must not give away: on sets[set], each of `classes` keeps a recall of at least `minRecall`
 * (an offset toward neutral buys posed faces' neutral frames with in-the-wild sad and anger faces).
 */
export interface RecallGuard {
  readonly set: number;
  readonly classes: readonly Emotion[];
  readonly minRecall: number;
}

function recallOf(score: ClassScore, classes: readonly Emotion[], emotion: Emotion): number {
  const i = classes.indexOf(emotion);
  const row = score.confusion[i];
  if (i < 0 || !row) throw new Error(`scanOffsets: the guarded set has no ${emotion} class`);
  const total = row.reduce((a, b) => a + b, 0);
  return total > 0 ? (row[i] ?? 0) / total : NaN;
}

/**
 * Scores every candidate offset of `emotion` on every set. The best row is the one with the highest mean macro-F1
 * among those that pass the guard (among all rows when none passes, or without a guard).
 */
export function scanOffsets(
  sets: readonly ScoredSet[],
  emotion: Emotion,
  candidates: readonly number[],
  guard?: RecallGuard,
): { rows: OffsetRow[]; best: OffsetRow } {
  if (candidates.length === 0 || sets.length === 0) throw new Error('scanOffsets: needs at least one candidate and one set');
  const guarded = guard ? sets[guard.set] : undefined;
  if (guard && !guarded) throw new Error(`scanOffsets: the guard names set ${guard.set} of ${sets.length}`);
  const rows = candidates.map((offset): OffsetRow => {
    const scores = sets.map((s) => scoreOnClasses(s.labels, offsetProbs(s.probs, { [emotion]: offset }), s.classes));
    const guardedRecall: Partial<Record<Emotion, number>> = {};
    const score = guard ? scores[guard.set] : undefined;
    if (guard && guarded && score) for (const c of guard.classes) guardedRecall[c] = recallOf(score, guarded.classes, c);
    const passes = guard === undefined || guard.classes.every((c) => (guardedRecall[c] ?? NaN) >= guard.minRecall);
    return { offset, scores, meanMacroF1: scores.reduce((a, s) => a + s.macroF1, 0) / scores.length, guardedRecall, passes };
  });
  const pool = rows.some((r) => r.passes) ? rows.filter((r) => r.passes) : rows;
  const best = pool.reduce((a, r) => (r.meanMacroF1 > a.meanMacroF1 ? r : a));
  return { rows, best };
}
