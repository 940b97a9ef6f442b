/**
 * The paper's "simple CNN" (arXiv 2006.11168 after Khorrami 2017; layer list from the authors' code, research
 * notes §1): BatchNorm on the input, conv 64 5x5 same, maxpool 2, conv 128 5x5 valid, maxpool 2, conv 256 5x5
 * valid, quadrant pooling (average over each quarter of the last map, 2x2x256 = 1024 values), Dense 300 linear
 * ('features', the RNN's input), dropout 0.5, heads.
 */
import * as tf from '../backend/tf.ts';
import { addHeads, FEATURE_SIZE, FEATURES_LAYER, type HeadsKind, type VaActivation } from './heads.ts';

export interface PaperCnnOptions {
  /** Side of the square gray input; the paper uses 96. Must be at least 32 (the last map must be 2x2 or more). */
  readonly inputSize?: number;
  readonly heads: HeadsKind;
  /** Classes of the 'classes' head; default the 8 canonical EMOTIONS. */
  readonly numClasses?: number;
  readonly vaActivation?: VaActivation;
}

/** Side of the last conv map for an input side: same conv, /2, valid 5x5, /2, valid 5x5 (96 -> 18). */
export function paperCnnFinalMapSize(inputSize: number): number {
  return Math.floor((Math.floor(inputSize / 2) - 4) / 2) - 4;
}

/**
 * Quadrant pooling window: half the last map (9 for 96 input, 3 for 48). For an odd map the last row and column
 * fall outside the four windows, as Keras' valid pooling does.
 */
export function quadrantPoolSize(inputSize: number): number {
  const map = paperCnnFinalMapSize(inputSize);
  if (!Number.isInteger(inputSize) || map < 2) {
    throw new Error(`paper CNN: inputSize ${inputSize} is too small (needs an integer >= 32 so the last map is at least 2x2)`);
  }
  return Math.floor(map / 2);
}

export function buildPaperCnn(options: PaperCnnOptions): tf.LayersModel {
  const inputSize = options.inputSize ?? 96;
  const pool = quadrantPoolSize(inputSize);
  const input = tf.input({ shape: [inputSize, inputSize, 1], name: 'image' });
  const layers: tf.layers.Layer[] = [
    tf.layers.batchNormalization({ name: 'input_bn' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', name: 'conv1' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool1' }),
    tf.layers.conv2d({ filters: 128, kernelSize: 5, padding: 'valid', activation: 'relu', name: 'conv2' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'pool2' }),
    tf.layers.conv2d({ filters: 256, kernelSize: 5, padding: 'valid', activation: 'relu', name: 'conv3' }),
    tf.layers.averagePooling2d({ poolSize: pool, strides: pool, padding: 'valid', name: 'quadrant_pool' }),
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ units: FEATURE_SIZE, activation: 'linear', name: FEATURES_LAYER }),
  ];
  let x: tf.SymbolicTensor = input;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  const outputs = addHeads(x, {
    heads: options.heads,
    numClasses: options.numClasses,
    vaActivation: options.vaActivation,
    dropout: 0.5,
  });
  return tf.model({ inputs: input, outputs, name: 'paper_cnn' });
}
