/**
 * Test-time mirroring, shared by the app and by training's evaluation so that what is measured is what runs:
 * the expression CNN sees each face and its left-right mirror image in one batch, and every output (features,
 * class probabilities, valence/arousal) is the mean of the two. Expressions are near-symmetric and the CNN was
 * trained with random flips, so the two views err differently and their mean is steadier and more accurate
 * (measured in MODEL_CARD.md). A manifest entry opts in with `input.mirrorAverage: true`.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `model`'s outputs for the faces in `x` ([n, h, w, c]), each the mean over the face and its mirror image
 * when `mirrorAverage` is set, else the plain outputs. `x` is not disposed; the caller owns the results.
 */
/** Anything that runs the CNN on a batch: training's tfjs-layers model, or the app's LayersGraph (layers-graph.ts). */
export interface BatchPredictor {
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[];
}

export function predictFaces(model: BatchPredictor, x: tf.Tensor4D, mirrorAverage: boolean): tf.Tensor[] {
  return tf.tidy(() => {
    if (!mirrorAverage) {
      const y = model.predict(x);
      return Array.isArray(y) ? y : [y];
    }
    const n = x.shape[0];
    const y = model.predict(tf.concat([x, tf.reverse(x, 2)], 0));
    return (Array.isArray(y) ? y : [y]).map((t) => {
      const [a, b] = tf.split(t, [n, n], 0);
      return tf.mul(tf.add(a!, b!), 0.5);
    });
  });
}
