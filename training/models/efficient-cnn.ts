/**
 * A CNN for live use in the browser on a CPU (wasm backend) and for training on two CPU cores. It keeps the
 * paper's contract (a 300-d 'features' layer for the RNN stage, the same heads) and spends its compute where
 * wasm is fast: plain 3x3 conv2d + BatchNorm + ReLU, max pooling, global average pooling (no depthwise or
 * separable convolutions, whose gradients the wasm backend lacks).
 */
import * as tf from '../backend/tf.ts';
import { addHeads, FEATURE_SIZE, FEATURES_LAYER, featureExtractor, type HeadsKind, type VaActivation } from './heads.ts';

export { featureExtractor };

/** One stage: `convs` x (conv 3x3 + BN + ReLU) at one resolution, then 2x2 max pooling (except the last). */
export interface EfficientBlock {
  readonly filters: number;
  readonly convs: number;
}

export interface EfficientCnnOptions {
  /** Side of the square gray input; 48 is FER2013's native size. */
  readonly inputSize?: number;
  readonly heads?: HeadsKind;
  /** Classes of the 'classes' head; default the 8 canonical EMOTIONS. */
  readonly numClasses?: number;
  readonly vaActivation?: VaActivation;
  readonly blocks?: readonly EfficientBlock[];
  readonly dropout?: number;
}

/**
 * Default stages: four resolutions (48, 24, 12, 6) so the receptive field covers the whole face, one conv each,
 * widths 24/48/96/192. Multiply-adds per 48x48 image: 0.5 M + 6.0 M + 6.0 M + 6.0 M = 18.4 M, below the
 * 32/64/128 three-stage net measured at ~110-140 training images/s on two cores in wasm (research notes §4),
 * against 115 M for the paper's CNN at 48x48. A second conv per stage at least doubles the cost.
 */
export const EFFICIENT_BLOCKS: readonly EfficientBlock[] = [
  { filters: 24, convs: 1 },
  { filters: 48, convs: 1 },
  { filters: 96, convs: 1 },
  { filters: 192, convs: 1 },
];

export function buildEfficientCnn(options: EfficientCnnOptions = {}): tf.LayersModel {
  const inputSize = options.inputSize ?? 48;
  const blocks = options.blocks ?? EFFICIENT_BLOCKS;
  if (blocks.length === 0) throw new Error('efficient CNN: needs at least one block');
  const minSize = 2 ** (blocks.length - 1);
  if (!Number.isInteger(inputSize) || inputSize < minSize) {
    throw new Error(`efficient CNN: inputSize ${inputSize} must be an integer >= ${minSize} for ${blocks.length} blocks`);
  }
  const input = tf.input({ shape: [inputSize, inputSize, 1], name: 'image' });
  let x = tf.layers.batchNormalization({ name: 'input_bn' }).apply(input) as tf.SymbolicTensor;
  blocks.forEach((block, b) => {
    if (!Number.isInteger(block.filters) || block.filters < 1 || !Number.isInteger(block.convs) || block.convs < 1) {
      throw new Error(`efficient CNN: block ${b} needs positive integer filters and convs, got ${JSON.stringify(block)}`);
    }
    for (let c = 0; c < block.convs; c++) {
      const name = `b${b + 1}_conv${c + 1}`;
      // No bias: the BatchNorm that follows has its own shift.
      x = tf.layers.conv2d({ filters: block.filters, kernelSize: 3, padding: 'same', useBias: false, name }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.reLU({ name: `${name}_relu` }).apply(x) as tf.SymbolicTensor;
    }
    if (b < blocks.length - 1) {
      x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `b${b + 1}_pool` }).apply(x) as tf.SymbolicTensor;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: FEATURE_SIZE, activation: 'linear', name: FEATURES_LAYER }).apply(x) as tf.SymbolicTensor;
  const outputs = addHeads(x, {
    heads: options.heads ?? 'both',
    numClasses: options.numClasses,
    vaActivation: options.vaActivation,
    dropout: options.dropout ?? 0.5,
  });
  return tf.model({ inputs: input, outputs, name: 'efficient_cnn' });
}
