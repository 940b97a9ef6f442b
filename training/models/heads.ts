/** Output heads shared by the CNNs: every CNN ends in the 300-d 'features' layer the RNN stage consumes. */
import * as tf from '../backend/tf.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';

/** Which outputs a model has: valence/arousal regression, class probabilities, or both (multi-task). */
export type HeadsKind = 'va' | 'classes' | 'both';

/** Width of the feature layer; the RNNs read windows of these vectors. */
export const FEATURE_SIZE = 300;

/** Layer (and output) names, fixed because the training loop, the exporter and the app look them up. */
export const FEATURES_LAYER = 'features';
export const VA_OUTPUT = 'va';
export const CLASSES_OUTPUT = 'classes';

/**
 * Activation of the 'va' head. Linear, as in the authors' code: the CCC loss already penalises any offset or
 * scale error, so predictions stay within the -1..1 label range without squashing, and a linear output
 * does not saturate (tanh's gradient vanishes exactly where intense expressions sit, near ±1). The app clamps
 * to -1..1 for display.
 */
export type VaActivation = 'linear' | 'tanh';

export interface HeadsOptions {
  readonly heads: HeadsKind;
  /** Number of classes for the 'classes' head; defaults to the canonical EMOTIONS (8). */
  readonly numClasses?: number;
  readonly vaActivation?: VaActivation;
  /** Dropout rate between the features and the heads. */
  readonly dropout: number;
}

/** Adds dropout and the requested heads after the features tensor; returns the outputs in the order va, classes. */
export function addHeads(features: tf.SymbolicTensor, opts: HeadsOptions): tf.SymbolicTensor[] {
  const numClasses = opts.numClasses ?? EMOTIONS.length;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`model heads: numClasses must be an integer >= 2, got ${numClasses}`);
  }
  const dropped = tf.layers.dropout({ rate: opts.dropout, name: 'features_dropout' }).apply(features) as tf.SymbolicTensor;
  const outputs: tf.SymbolicTensor[] = [];
  if (opts.heads === 'va' || opts.heads === 'both') {
    outputs.push(
      tf.layers.dense({ units: 2, activation: opts.vaActivation ?? 'linear', name: VA_OUTPUT }).apply(dropped) as tf.SymbolicTensor,
    );
  }
  if (opts.heads === 'classes' || opts.heads === 'both') {
    outputs.push(tf.layers.dense({ units: numClasses, activation: 'softmax', name: CLASSES_OUTPUT }).apply(dropped) as tf.SymbolicTensor);
  }
  return outputs;
}

/** A model from the input to the 'features' layer's output (sharing weights with `model`). */
export function featureExtractor(model: tf.LayersModel): tf.LayersModel {
  const layer = model.getLayer(FEATURES_LAYER);
  return tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor, name: `${model.name}_features` });
}
