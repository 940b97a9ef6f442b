/**
 * Class metrics of a model with more outputs than a dataset has classes (the 8-class CNN on CK+48, which has no
 * neutral): each prediction is the argmax over the dataset's classes, as `npm run evaluate` scores such datasets.
 */
import { EMOTIONS, emotionIndex, type Emotion } from '../../src/core/emotions.ts';
import { accuracy, confusionMatrix, macroF1 } from '../metrics/classification.ts';
import { restrictedArgmax } from '../metrics/restricted-argmax.ts';

export interface ClassScore {
  images: number;
  accuracy: number;
  /** Mean F1 over `classes` present in labels or predictions. */
  macroF1: number;
  /** counts[true][predicted], rows and columns in `classes` order. */
  confusion: number[][];
}

/**
 * @param labels EMOTIONS indices (rows with -1 are skipped)
 * @param probs one row of EMOTIONS.length model outputs per label
 * @param classes the dataset's classes, in the order the confusion matrix should use
 */
export function scoreOnClasses(labels: readonly number[], probs: readonly (readonly number[])[], classes: readonly Emotion[]): ClassScore {
  if (labels.length !== probs.length) throw new Error(`scoreOnClasses: ${labels.length} labels but ${probs.length} output rows`);
  const allowed = new Set(classes);
  const column = new Map(classes.map((c, i) => [emotionIndex(c), i]));
  const truth: number[] = [];
  const predicted: number[] = [];
  labels.forEach((l, i) => {
    if (l < 0) return;
    const t = column.get(l);
    if (t === undefined) throw new Error(`scoreOnClasses: label ${EMOTIONS[l] ?? l} of row ${i} is not one of ${classes.join(', ')}`);
    truth.push(t);
    predicted.push(column.get(emotionIndex(restrictedArgmax(probs[i] ?? [], EMOTIONS, allowed))) ?? -1);
  });
  return {
    images: truth.length,
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(truth, predicted, classes.length),
    confusion: confusionMatrix(truth, predicted, classes.length),
  };
}
