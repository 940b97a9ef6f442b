/**
 * A TF.js layers model (model.json + weights) run for inference on TF.js core ops alone, without tfjs-layers: the
 * app's expression CNN needs a dozen layer kinds, and tfjs-layers' code (its training, serialisation and hundred
 * layer kinds) was the largest part of the model worker's bundle and of its start. Every layer kind listed in
 * LAYERS computes what tfjs-layers computes at inference (golden.test.ts holds the shipped model to the outputs
 * training recorded with tfjs-layers; layers-graph.test.ts compares both on models of every kind); anything else is
 * refused with its name, never guessed.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  activationName,
  batchNormSettings,
  conv2dSettings,
  denseSettings,
  globalPoolSettings,
  layerKind,
  LayersGraphError,
  pool2dSettings,
  reluSettings,
  wiring,
} from './layers-topology.ts';
import type { ActivationName, LayerJson, LayerKind } from './layers-topology.ts';

export interface LayersGraph {
  /** The model's outputs in model.json's order (output_layers). */
  readonly outputNames: readonly string[];
  /** One input batch in; one tensor per output, owned by the caller. `x` is not disposed. */
  predict(x: tf.Tensor): tf.Tensor[];
  dispose(): void;
}

type Op = (x: tf.Tensor) => tf.Tensor;
type Weights = (name: string) => tf.Tensor;

const ACTIVATION_OPS: Readonly<Record<ActivationName, Op>> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
};

/** Each supported layer kind: its inference op, built from its config and weights. */
const LAYERS: Readonly<Record<LayerKind, (layer: LayerJson, w: Weights) => Op>> = {
  Conv2D(layer, w) {
    const { strides, dilations, padding, activation, useBias } = conv2dSettings(layer);
    const kernel = w('kernel') as tf.Tensor4D;
    const bias = useBias ? w('bias') : undefined;
    const act = ACTIVATION_OPS[activation];
    return (x) => {
      const y = tf.conv2d(x as tf.Tensor4D, kernel, strides, padding, 'NHWC', dilations);
      return act(bias ? tf.add(y, bias) : y);
    };
  },
  Dense(layer, w) {
    const { activation, useBias } = denseSettings(layer);
    const kernel = w('kernel') as tf.Tensor2D;
    const bias = useBias ? w('bias') : undefined;
    const act = ACTIVATION_OPS[activation];
    return (x) => {
      if (x.rank !== 2) throw new LayersGraphError(`${layer.name}: input of rank ${x.rank}; this runner takes Dense on rank 2 only`);
      const y = tf.matMul(x as tf.Tensor2D, kernel);
      return act(bias ? tf.add(y, bias) : y);
    };
  },
  BatchNormalization(layer, w) {
    const { epsilon, center, scale } = batchNormSettings(layer);
    const mean = w('moving_mean');
    const variance = w('moving_variance');
    const beta = center ? w('beta') : undefined;
    const gamma = scale ? w('gamma') : undefined;
    return (x) => tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
  },
  ReLU(layer) {
    const { max } = reluSettings(layer);
    return max !== undefined ? (x) => tf.clipByValue(x, 0, max) : (x) => tf.relu(x);
  },
  Activation({ name, config }) {
    return ACTIVATION_OPS[activationName(config.activation, name)];
  },
  MaxPooling2D(layer) {
    const { size, strides, padding } = pool2dSettings(layer);
    return (x) => tf.maxPool(x as tf.Tensor4D, size, strides, padding);
  },
  AveragePooling2D(layer) {
    const { size, strides, padding } = pool2dSettings(layer);
    return (x) => tf.avgPool(x as tf.Tensor4D, size, strides, padding);
  },
  GlobalAveragePooling2D(layer) {
    const { keepDims } = globalPoolSettings(layer);
    return (x) => tf.mean(x, [1, 2], keepDims);
  },
  GlobalMaxPooling2D(layer) {
    const { keepDims } = globalPoolSettings(layer);
    return (x) => tf.max(x, [1, 2], keepDims);
  },
  Flatten() {
    return (x) => tf.reshape(x, [x.shape[0] ?? -1, -1]);
  },
  // Dropout only acts in training.
  Dropout() {
    return (x) => x;
  },
};

/**
 * The model in `topology` (model.json's modelTopology) with its decoded weights (tf.io.decodeWeights; names
 * "layer/kernel" etc.). Takes ownership of `weights`: dispose() frees them, and so does a failed build.
 */
export function buildLayersGraph(topology: unknown, weights: tf.NamedTensorMap): LayersGraph {
  try {
    const { layers, inbound, input, outputs } = wiring(topology);
    const steps = layers.map((layer) => {
      const make = LAYERS[layerKind(layer)];
      const w: Weights = (v) => {
        const t = weights[`${layer.name}/${v}`];
        if (!t) throw new LayersGraphError(`layer ${layer.name} has no weight ${v}`);
        return t;
      };
      return { name: layer.name, from: inbound.get(layer.name)!, op: make(layer, w) };
    });
    const known = new Set([input, ...steps.map((s) => s.name)]);
    for (const s of steps)
      if (!known.has(s.from)) throw new LayersGraphError(`layer ${s.name} reads ${s.from}, which the model does not have`);
    for (const o of outputs) if (!known.has(o)) throw new LayersGraphError(`output ${o} is not a layer of the model`);
    return {
      outputNames: outputs,
      predict(x) {
        return tf.tidy(() => {
          const values = new Map<string, tf.Tensor>([[input, x]]);
          for (const s of steps) {
            const v = values.get(s.from);
            if (!v) throw new LayersGraphError(`layer ${s.name} runs before ${s.from}, its input`);
            values.set(s.name, s.op(v));
          }
          return outputs.map((o) => values.get(o)!);
        });
      },
      dispose() {
        tf.dispose(weights);
      },
    };
  } catch (e) {
    tf.dispose(weights);
    throw e;
  }
}
