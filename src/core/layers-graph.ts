/**
 * A TF.js layers model (model.json + weights) run for inference on TF.js core ops alone, without tfjs-layers: the
 * app's expression CNN needs a dozen layer kinds, and tfjs-layers' code (its training, serialisation and hundred
 * layer kinds) was the largest part of the model worker's bundle and of its start. Every layer kind listed in
 * LAYERS computes what tfjs-layers computes at inference (golden.test.ts holds the shipped model to the outputs
 * training recorded with tfjs-layers; layers-graph.test.ts compares both on models of every kind); anything else is
 * refused with its name, never guessed.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A layer of model.json's modelTopology (Keras format, as tfjs-layers saves it). */
export interface LayerJson {
  readonly name: string;
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inbound_nodes?: readonly unknown[];
}

/** The model cannot be run here; the message says why (the caller names the file). */
export class LayersGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayersGraphError';
  }
}

export interface LayersGraph {
  /** The model's outputs in model.json's order (output_layers). */
  readonly outputNames: readonly string[];
  /** One input batch in; one tensor per output, owned by the caller. `x` is not disposed. */
  predict(x: tf.Tensor): tf.Tensor[];
  dispose(): void;
}

type Op = (x: tf.Tensor) => tf.Tensor;
type Weights = (name: string) => tf.Tensor;

function pair(v: unknown, what: string): [number, number] {
  const a = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(a) || a.length !== 2 || !a.every((n) => Number.isInteger(n) && n > 0))
    throw new LayersGraphError(`${what} must be two positive integers, got ${JSON.stringify(v)}`);
  return [a[0] as number, a[1] as number];
}

function padding(v: unknown, what: string): 'same' | 'valid' {
  if (v === 'same' || v === 'valid') return v;
  throw new LayersGraphError(`${what}: padding "${String(v)}" is not supported (same or valid)`);
}

function channelsLast(config: LayerJson['config'], what: string): void {
  const format = config.data_format ?? 'channels_last';
  if (format !== 'channels_last') throw new LayersGraphError(`${what}: data_format "${String(format)}" is not supported (channels_last)`);
}

const ACTIVATIONS: Readonly<Record<string, Op>> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
};

function activation(v: unknown, what: string): Op {
  const op = ACTIVATIONS[String(v ?? 'linear')];
  if (!op) throw new LayersGraphError(`${what}: activation "${String(v)}" is not supported (${Object.keys(ACTIVATIONS).join(', ')})`);
  return op;
}

type Pool = (x: tf.Tensor4D, size: [number, number], strides: [number, number], pad: 'same' | 'valid') => tf.Tensor;
type Reduce = (x: tf.Tensor, axis: number[], keepDims: boolean) => tf.Tensor;

/** MaxPooling2D and AveragePooling2D: `pool` over pool_size windows (strides default to the window). */
function pooling2d({ name, config }: LayerJson, pool: Pool): Op {
  channelsLast(config, name);
  const size = pair(config.pool_size ?? 2, `${name} pool_size`);
  const strides = pair(config.strides ?? size, `${name} strides`);
  const pad = padding(config.padding ?? 'valid', name);
  return (x) => pool(x as tf.Tensor4D, size, strides, pad);
}

/** GlobalAveragePooling2D and GlobalMaxPooling2D: `reduce` over height and width. */
function globalPooling2d({ name, config }: LayerJson, reduce: Reduce): Op {
  channelsLast(config, name);
  const keep = config.keepdims === true;
  return (x) => reduce(x, [1, 2], keep);
}

/** Each supported layer kind: its inference op, built from its config and weights. */
const LAYERS: Readonly<Record<string, (layer: LayerJson, w: Weights) => Op>> = {
  Conv2D({ name, config }, w) {
    channelsLast(config, name);
    const kernel = w('kernel') as tf.Tensor4D;
    const bias = config.use_bias === false ? undefined : w('bias');
    const strides = pair(config.strides ?? 1, `${name} strides`);
    const dilations = pair(config.dilation_rate ?? 1, `${name} dilation_rate`);
    const pad = padding(config.padding ?? 'valid', name);
    const act = activation(config.activation, name);
    return (x) => {
      const y = tf.conv2d(x as tf.Tensor4D, kernel, strides, pad, 'NHWC', dilations);
      return act(bias ? tf.add(y, bias) : y);
    };
  },
  Dense({ name, config }, w) {
    const kernel = w('kernel') as tf.Tensor2D;
    const bias = config.use_bias === false ? undefined : w('bias');
    const act = activation(config.activation, name);
    return (x) => {
      if (x.rank !== 2) throw new LayersGraphError(`${name}: input of rank ${x.rank}; this runner takes Dense on rank 2 only`);
      const y = tf.matMul(x as tf.Tensor2D, kernel);
      return act(bias ? tf.add(y, bias) : y);
    };
  },
  BatchNormalization({ name, config }, w) {
    const axis = config.axis ?? -1;
    if (axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1) && axis !== 3)
      throw new LayersGraphError(`${name}: batch normalisation over axis ${JSON.stringify(axis)} is not supported (the last axis)`);
    const mean = w('moving_mean');
    const variance = w('moving_variance');
    const beta = config.center === false ? undefined : w('beta');
    const gamma = config.scale === false ? undefined : w('gamma');
    const epsilon = Number(config.epsilon ?? 1e-3);
    return (x) => tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
  },
  ReLU({ name, config }) {
    const max = config.max_value;
    if ((config.negative_slope ?? 0) !== 0 || (config.threshold ?? 0) !== 0)
      throw new LayersGraphError(`${name}: ReLU with a negative slope or a threshold is not supported`);
    return typeof max === 'number' ? (x) => tf.clipByValue(x, 0, max) : (x) => tf.relu(x);
  },
  Activation({ name, config }) {
    return activation(config.activation, name);
  },
  MaxPooling2D: (layer) => pooling2d(layer, tf.maxPool),
  AveragePooling2D: (layer) => pooling2d(layer, tf.avgPool),
  GlobalAveragePooling2D: (layer) => globalPooling2d(layer, tf.mean),
  GlobalMaxPooling2D: (layer) => globalPooling2d(layer, tf.max),
  Flatten() {
    return (x) => tf.reshape(x, [x.shape[0] ?? -1, -1]);
  },
  // Dropout only acts in training.
  Dropout() {
    return (x) => x;
  },
};

/** The one layer a layer takes its input from ([[["name", 0, 0, {}]]]); merges and shared layers are refused. */
function inboundOf(layer: LayerJson): string {
  const nodes = layer.inbound_nodes ?? [];
  const node = nodes[0];
  const first = Array.isArray(node) ? (node[0] as unknown) : undefined;
  if (nodes.length !== 1 || !Array.isArray(node) || node.length !== 1 || !Array.isArray(first) || typeof first[0] !== 'string')
    throw new LayersGraphError(`${layer.name}: only layers with one input, called once, are supported`);
  if (first[1] !== 0 || first[2] !== 0) throw new LayersGraphError(`${layer.name}: shared layers are not supported`);
  return first[0];
}

function asLayers(v: unknown): LayerJson[] {
  if (!Array.isArray(v)) throw new LayersGraphError('modelTopology has no layer list');
  for (const l of v) {
    const ok =
      typeof l === 'object' && l !== null && typeof (l as LayerJson).class_name === 'string' && typeof (l as LayerJson).config === 'object';
    if (!ok) throw new LayersGraphError(`modelTopology has a malformed layer: ${JSON.stringify(l).slice(0, 80)}`);
  }
  return (v as LayerJson[]).map((l) => ({ ...l, name: String(l.name ?? l.config.name) }));
}

/** The model inside model.json's modelTopology (tfjs-layers wraps it in model_config). */
function modelOf(topology: unknown): { class_name?: unknown; config?: unknown } | null {
  const top = topology as { model_config?: unknown } | null;
  return (top?.model_config ?? top) as { class_name?: unknown; config?: unknown } | null;
}

/** The layers of a saved Model or Sequential, in file order, each named (LayersGraphError when there are none). */
export function topologyLayers(topology: unknown): LayerJson[] {
  const config = modelOf(topology)?.config;
  return asLayers(Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers);
}

interface Wiring {
  readonly layers: LayerJson[];
  /** For each layer (but the input): the name of the layer it reads. */
  readonly inbound: ReadonlyMap<string, string>;
  readonly input: string;
  readonly outputs: string[];
}

function outputNames(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new LayersGraphError('modelTopology has no output_layers');
  return v.map((o) => {
    if (!Array.isArray(o) || typeof o[0] !== 'string')
      throw new LayersGraphError(`modelTopology has a malformed output: ${JSON.stringify(o)}`);
    return o[0];
  });
}

/** A functional Model (layers with inbound nodes) or a Sequential (a chain), in the order the layers run. */
function wiring(topology: unknown): Wiring {
  const model = modelOf(topology);
  const cls = model?.class_name;
  if (cls === 'Sequential') {
    const body = topologyLayers(topology).filter((l) => l.class_name !== 'InputLayer');
    const inbound = new Map(body.map((l, i) => [l.name, i === 0 ? 'input' : body[i - 1]!.name]));
    return { layers: body, inbound, input: 'input', outputs: body.length > 0 ? [body.at(-1)!.name] : ['input'] };
  }
  if (cls !== 'Model' && cls !== 'Functional')
    throw new LayersGraphError(`modelTopology is a ${String(cls)}; expected Model or Sequential`);
  const config = model!.config as { output_layers?: unknown };
  const layers = topologyLayers(topology);
  const inputs = layers.filter((l) => l.class_name === 'InputLayer');
  if (inputs.length !== 1) throw new LayersGraphError(`the model has ${inputs.length} inputs; one is supported`);
  const body = layers.filter((l) => l.class_name !== 'InputLayer');
  const inbound = new Map(body.map((l) => [l.name, inboundOf(l)]));
  return { layers: body, inbound, input: inputs[0]!.name, outputs: outputNames(config.output_layers) };
}

/**
 * The model in `topology` (model.json's modelTopology) with its decoded weights (tf.io.decodeWeights; names
 * "layer/kernel" etc.). Takes ownership of `weights`: dispose() frees them, and so does a failed build.
 */
export function buildLayersGraph(topology: unknown, weights: tf.NamedTensorMap): LayersGraph {
  try {
    const { layers, inbound, input, outputs } = wiring(topology);
    const steps = layers.map((layer) => {
      const make = LAYERS[layer.class_name];
      if (!make)
        throw new LayersGraphError(
          `layer ${layer.name} is a ${layer.class_name}, which the app cannot run (${Object.keys(LAYERS).join(', ')})`,
        );
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
