import { emotionIndex, type Emotion } from '../../src/core/emotions.ts';
import { accuracy, macroF1 } from '../metrics/classification.ts';
import { restrictedArgmax } from '../metrics/restricted-argmax.ts';

export interface RestrictedScore {
  /** The classes scored, canonical order. */
  classes: Emotion[];
  /** Images whose label is among `classes`. */
  images: number;
  accuracy: number;
  macroF1: number;
}

/**
 * Accuracy and macro-F1 on `classes` only: images labelled with another class are left out, and the model's
 * answer is its argmax over `classes` (restrictedArgmax). `scores[i]` is the output for `truth[i]`.
 */
export function scoreRestricted(
  truth: readonly Emotion[],
  scores: readonly ArrayLike<number>[],
  modelLabels: readonly Emotion[],
  classes: readonly Emotion[],
): RestrictedScore {
  if (truth.length !== scores.length) throw new Error(`scoreRestricted: ${truth.length} labels but ${scores.length} score rows`);
  const missing = classes.filter((c) => !modelLabels.includes(c));
  if (missing.length > 0) throw new Error(`scoreRestricted: the model has no output for ${missing.join(', ')}`);
  const allowed = new Set(classes);
  const ordered = [...classes].sort((a, b) => emotionIndex(a) - emotionIndex(b));
  const labels: number[] = [];
  const preds: number[] = [];
  truth.forEach((t, i) => {
    if (!allowed.has(t)) return;
    labels.push(ordered.indexOf(t));
    preds.push(ordered.indexOf(restrictedArgmax(scores[i] ?? [], modelLabels, allowed)));
  });
  if (labels.length === 0) throw new Error(`scoreRestricted: no image is labelled with any of ${ordered.join(', ')}`);
  return { classes: ordered, images: labels.length, accuracy: accuracy(labels, preds), macroF1: macroF1(labels, preds, ordered.length) };
}
