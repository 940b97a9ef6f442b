/**
 * Training losses as tensor functions (yTrue, yPred) -> scalar, usable with `model.compile` or a custom loop.
 * tfjs-layers has no `lossWeights`, so multi-task training combines per-output losses with `multiTaskLoss`.
 */
import * as tf from '../backend/tf.ts';

/**
 * Added to the CCC denominator so that a batch with constant, equal targets and predictions gives a finite
 * loss; far below any real variance of labels in -1..1.
 */
export const CCC_EPSILON = 1e-8;

/** CCC of each column of [n, k] tensors (population moments), shape [k]. */
export function cccPerColumn(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const mt = tf.mean(yTrue, 0);
    const mp = tf.mean(yPred, 0);
    const dt = tf.sub(yTrue, mt);
    const dp = tf.sub(yPred, mp);
    const vt = tf.mean(tf.square(dt), 0);
    const vp = tf.mean(tf.square(dp), 0);
    const cov = tf.mean(tf.mul(dt, dp), 0);
    const denom = tf.add(tf.add(tf.add(vt, vp), tf.square(tf.sub(mt, mp))), CCC_EPSILON);
    return tf.div(tf.mul(2, cov), denom) as tf.Tensor1D;
  });
}

/** The paper's loss: 1 - mean over columns (valence, arousal) of the batch CCC. */
export function cccLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sub(1, tf.mean(cccPerColumn(yTrue, yPred))) as tf.Scalar);
}

/** Mean squared error over all elements. */
export function mseLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(yTrue, yPred)) as tf.Scalar);
}

/** Floor for probabilities before the log (Keras' epsilon). */
const PROB_EPSILON = 1e-7;

/**
 * Cross-entropy against target distributions [n, k] (one-hot rows for hard labels, e.g. normalised FER+ votes
 * for soft ones), averaged over the batch. `predictions` are softmax probabilities (what the 'classes' heads
 * output) unless `fromLogits`. `classWeights` (one per column) scale each class's term (see
 * training/balance/class-weights.ts).
 */
export function softCrossEntropy(
  targets: tf.Tensor,
  predictions: tf.Tensor,
  fromLogits = false,
  classWeights?: readonly number[],
): tf.Scalar {
  return tf.tidy(() => {
    const logP = fromLogits ? tf.logSoftmax(predictions, -1) : tf.log(tf.clipByValue(predictions, PROB_EPSILON, 1 - PROB_EPSILON));
    const weighted = classWeights ? tf.mul(targets, tf.tensor1d([...classWeights])) : targets;
    return tf.neg(tf.mean(tf.sum(tf.mul(weighted, logP), -1))) as tf.Scalar;
  });
}

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** One output's loss and its weight in the total. */
export interface LossTerm {
  readonly loss: LossFn;
  readonly weight: number;
}

/**
 * sum over outputs of weight * loss(yTrue[name], yPred[name]). Outputs are named as the model's output layers
 * ('va', 'classes'); an output missing from either record is an error, not a silent zero.
 */
export function multiTaskLoss(
  terms: Readonly<Record<string, LossTerm>>,
): (yTrue: Readonly<Record<string, tf.Tensor>>, yPred: Readonly<Record<string, tf.Tensor>>) => tf.Scalar {
  const names = Object.keys(terms);
  if (names.length === 0) throw new Error('multiTaskLoss: no loss terms');
  return (yTrue, yPred) =>
    tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (const name of names) {
        const term = terms[name];
        const t = yTrue[name];
        const p = yPred[name];
        if (!term || !t || !p) throw new Error(`multiTaskLoss: output "${name}" is missing from the targets or the predictions`);
        total = tf.add(total, tf.mul(term.weight, term.loss(t, p)));
      }
      return total;
    });
}
