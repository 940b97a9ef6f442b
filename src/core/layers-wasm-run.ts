/**
 * A TF.js layers model run on TF.js's wasm kernels called directly (wasm-kernel-calls.ts), without tfjs-core: for each
 * layer, the kernels that TF.js's wasm backend runs for the ops of the TF.js runner (layers-graph.ts), with the same
 * arguments, so the two give the same numbers (layers-wasm-run.test.ts holds them together on models of every layer
 * kind, and on the shipped model). Both read the topology through layers-topology.ts, so they accept and refuse the
 * same models. The batch size is fixed when the model is built: every buffer is allocated then, and a run allocates
 * nothing.
 */
import type { WeightArray } from './layers-weights.ts';
import {
  activationName,
  batchNormSettings,
  conv2dSettings,
  denseSettings,
  globalPoolSettings,
  layerKind,
  LayersGraphError,
  pair,
  pool2dSettings,
  reluSettings,
  wiring,
} from './layers-topology.ts';
import type { ActivationName, LayerJson, LayerKind } from './layers-topology.ts';
import type { WasmKernels } from './wasm-kernel-calls.ts';

export interface LayersWasmModel {
  /** The model's outputs in model.json's order (output_layers). */
  readonly outputNames: readonly string[];
  /** [batch, ...] as given when it was built. */
  readonly inputShape: readonly number[];
  /** One batch of `inputShape` in (row-major); a copy of each output out, in outputNames' order. */
  run(input: Float32Array): Float32Array[];
  /** Frees the weights and buffers; run() fails afterwards. */
  dispose(): void;
}

/** A value in the wasm memory: its tensor id and shape. */
interface Value {
  readonly id: number;
  readonly shape: readonly number[];
}

/** What a layer's builder may use: the layer's weights, new buffers, and the list of kernel calls. */
interface Build {
  readonly kernels: WasmKernels;
  /** The layer's weight `name` written into the wasm memory, checked against `shape`. */
  weight(name: string, shape: readonly number[]): number;
  /** A new buffer of `shape`. */
  buffer(shape: readonly number[]): Value;
  /** Adds a prepared kernel call to the run. */
  call(run: () => void): void;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Output size of a window over `inSize` (TF.js's conv_util with dimRoundingMode left undefined). */
function windowed(inSize: number, filter: number, stride: number, pad: 'same' | 'valid', dilation = 1): number {
  const effective = filter + (filter - 1) * (dilation - 1);
  return pad === 'same' ? Math.ceil(inSize / stride) : Math.ceil((inSize - effective + 1) / stride);
}

function rank4(x: Value, name: string): readonly [number, number, number, number] {
  if (x.shape.length !== 4)
    throw new LayersGraphError(`${name}: input of rank ${x.shape.length}; expected [batch, height, width, channels]`);
  return x.shape as [number, number, number, number];
}

/** `activation` applied to `x` as TF.js's wasm backend applies it (linear: `x` itself). */
function activate(b: Build, activation: ActivationName, x: Value): Value {
  if (activation === 'linear') return x;
  const out = b.buffer(x.shape);
  const k = b.kernels;
  if (activation === 'softmax') {
    const channels = x.shape.at(-1) ?? 1;
    b.call(k.softmax(x.id, out.id, channels, size(x.shape) / channels));
  } else {
    const unary = { relu: k.relu, relu6: k.relu6, sigmoid: k.sigmoid, tanh: k.tanh, elu: k.elu, selu: k.selu }[activation];
    b.call(unary(x.id, out.id));
  }
  return out;
}

/** `x` plus a bias over its last dimension (broadcast, as tf.add does). */
function addBias(b: Build, x: Value, bias: number | undefined): Value {
  if (bias === undefined) return x;
  const out = b.buffer(x.shape);
  b.call(b.kernels.add(x.id, bias, out.id, x.shape, [x.shape.at(-1) ?? 1]));
  return out;
}

/**
 * TF.js's reduction over height and width on wasm (Mean, Max): the reduced axes moved last by a transpose (with the
 * dimensions of size 1 dropped first, as its Transpose kernel does; none when that leaves the order unchanged), then
 * the kernel over each run of height x width values.
 */
function globalPool(b: Build, x: Value, name: string, keepDims: boolean, reduce: 'mean' | 'max'): Value {
  const [n, h, w, c] = rank4(x, name);
  const perm = [0, 3, 1, 2];
  const kept = [0, 1, 2, 3].filter((d) => x.shape[d] !== 1);
  const reducedShape = kept.map((d) => x.shape[d]!);
  const reducedPerm = perm.filter((d) => x.shape[d] !== 1).map((d) => kept.indexOf(d));
  let input = x;
  if (reducedPerm.some((d, i) => d !== i)) {
    input = b.buffer([n, c, h, w]);
    b.call(b.kernels.transpose(x.id, input.id, reducedShape, reducedPerm));
  }
  const out = b.buffer(keepDims ? [n, 1, 1, c] : [n, c]);
  b.call(b.kernels[reduce](input.id, out.id, h * w));
  return out;
}

/** Each layer kind as its kernel calls on input `x`; returns the layer's output. */
const LAYERS: Readonly<Record<LayerKind, (layer: LayerJson, x: Value, b: Build) => Value>> = {
  Conv2D(layer, x, b) {
    const { strides, dilations, padding, activation, useBias } = conv2dSettings(layer);
    const [n, h, w, c] = rank4(x, layer.name);
    const filters = Number(layer.config.filters);
    const [fh, fw] = pair(layer.config.kernel_size, `${layer.name} kernel_size`);
    const filter = b.weight('kernel', [fh, fw, c, filters]);
    const bias = useBias ? b.weight('bias', [filters]) : undefined;
    const out = b.buffer([
      n,
      windowed(h, fh, strides[0], padding, dilations[0]),
      windowed(w, fw, strides[1], padding, dilations[1]),
      filters,
    ]);
    b.call(
      b.kernels.conv2d({
        x: x.id,
        filter,
        out: out.id,
        inShape: x.shape,
        filterHeight: fh,
        filterWidth: fw,
        strides,
        dilations,
        padding,
        outChannels: filters,
      }),
    );
    return activate(b, activation, addBias(b, out, bias));
  },
  Dense(layer, x, b) {
    const { activation, useBias } = denseSettings(layer);
    if (x.shape.length !== 2)
      throw new LayersGraphError(`${layer.name}: input of rank ${x.shape.length}; this runner takes Dense on rank 2 only`);
    const [n, k] = x.shape as [number, number];
    const units = Number(layer.config.units);
    const kernel = b.weight('kernel', [k, units]);
    const bias = useBias ? b.weight('bias', [units]) : undefined;
    const out = b.buffer([n, units]);
    // tf.matMul on rank 2: BatchMatMul on [1, n, k] x [1, k, units].
    b.call(b.kernels.batchMatMul(x.id, [1, n, k], kernel, [1, k, units], out.id));
    return activate(b, activation, addBias(b, out, bias));
  },
  BatchNormalization(layer, x, b) {
    const { epsilon, center, scale } = batchNormSettings(layer);
    const channels = [x.shape.at(-1) ?? 1];
    const out = b.buffer(x.shape);
    b.call(
      b.kernels.batchNorm({
        x: x.id,
        mean: b.weight('moving_mean', channels),
        variance: b.weight('moving_variance', channels),
        offset: center ? b.weight('beta', channels) : 0,
        scale: scale ? b.weight('gamma', channels) : 0,
        epsilon,
        out: out.id,
      }),
    );
    return out;
  },
  ReLU(layer, x, b) {
    const { max } = reluSettings(layer);
    if (max === undefined) return activate(b, 'relu', x);
    const out = b.buffer(x.shape);
    b.call(b.kernels.clip(x.id, out.id, 0, max));
    return out;
  },
  Activation(layer, x, b) {
    return activate(b, activationName(layer.config.activation, layer.name), x);
  },
  MaxPooling2D: (layer, x, b) => pool2d(layer, x, b, 'maxPool'),
  AveragePooling2D: (layer, x, b) => pool2d(layer, x, b, 'avgPool'),
  GlobalAveragePooling2D: (layer, x, b) => globalPool(b, x, layer.name, globalPoolSettings(layer).keepDims, 'mean'),
  GlobalMaxPooling2D: (layer, x, b) => globalPool(b, x, layer.name, globalPoolSettings(layer).keepDims, 'max'),
  // The same values under another shape.
  Flatten: (_, x) => ({ id: x.id, shape: [x.shape[0] ?? 1, size(x.shape.slice(1))] }),
  // Dropout only acts in training.
  Dropout: (_, x) => x,
};

function pool2d(layer: LayerJson, x: Value, b: Build, kind: 'maxPool' | 'avgPool'): Value {
  const { size: filter, strides, padding } = pool2dSettings(layer);
  const [n, h, w, c] = rank4(x, layer.name);
  const out = b.buffer([n, windowed(h, filter[0], strides[0], padding), windowed(w, filter[1], strides[1], padding), c]);
  b.call(b.kernels[kind]({ x: x.id, out: out.id, inShape: x.shape, filter, strides, padding }));
  return out;
}

/** Tensor ids of this runner; those below are the TFLite runner's (tensor index + 1, tflite-wasm-run.ts). */
const FIRST_ID = 1 << 20;
let nextId = FIRST_ID;

/** What one model holds in the wasm memory: each id it allocated, with its index in kernels.heap(). */
interface ModelMemory {
  allocate(floats: number): number;
  at(id: number): number;
  releaseAll(): void;
}

function modelMemory(kernels: WasmKernels): ModelMemory {
  const offsets = new Map<number, number>();
  return {
    allocate(floats) {
      const id = nextId++;
      offsets.set(id, kernels.allocate(id, floats));
      return id;
    },
    at: (id) => offsets.get(id)!,
    releaseAll() {
      for (const id of offsets.keys()) kernels.release(id);
      offsets.clear();
    },
  };
}

/** What `layer`'s builder may use: its weights written into `memory`, new buffers, and the run's call list. */
function buildFor(
  layer: LayerJson,
  weights: ReadonlyMap<string, WeightArray>,
  kernels: WasmKernels,
  memory: ModelMemory,
  calls: (() => void)[],
): Build {
  return {
    kernels,
    weight(name, shape) {
      const w = weights.get(`${layer.name}/${name}`);
      if (!w) throw new LayersGraphError(`layer ${layer.name} has no weight ${name}`);
      if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))
        throw new LayersGraphError(`layer ${layer.name}: weight ${name} is [${w.shape.join(', ')}]; its input needs [${shape.join(', ')}]`);
      const id = memory.allocate(w.values.length);
      kernels.heap().set(w.values, memory.at(id));
      return id;
    },
    buffer: (shape) => ({ id: memory.allocate(size(shape)), shape }),
    call: (run) => calls.push(run),
  };
}

/** The model's kernel calls in order, with its input's and outputs' buffers. */
interface Plan {
  readonly input: Value;
  readonly outputNames: readonly string[];
  readonly results: readonly Value[];
  readonly calls: readonly (() => void)[];
}

function plan(
  topology: unknown,
  weights: ReadonlyMap<string, WeightArray>,
  kernels: WasmKernels,
  memory: ModelMemory,
  inputShape: readonly number[],
): Plan {
  const { layers, inbound, input, outputs } = wiring(topology);
  const first: Value = { id: memory.allocate(size(inputShape)), shape: inputShape };
  const values = new Map<string, Value>([[input, first]]);
  const calls: (() => void)[] = [];
  for (const layer of layers) {
    const make = LAYERS[layerKind(layer)];
    const from = inbound.get(layer.name)!;
    const x = values.get(from);
    if (!x) throw new LayersGraphError(`layer ${layer.name} reads ${from}, which the model does not have before it`);
    values.set(layer.name, make(layer, x, buildFor(layer, weights, kernels, memory, calls)));
  }
  const results = outputs.map((name) => {
    const v = values.get(name);
    if (!v) throw new LayersGraphError(`output ${name} is not a layer of the model`);
    return v;
  });
  return { input: first, outputNames: outputs, results, calls };
}

/**
 * The model in `topology` with its `weights` (layers-weights.ts) on `kernels`, for inputs of `inputShape` (batch
 * first). Throws a LayersGraphError, naming the layer, for a model it cannot run; nothing stays allocated then.
 */
export function createLayersWasmModel(
  topology: unknown,
  weights: ReadonlyMap<string, WeightArray>,
  kernels: WasmKernels,
  inputShape: readonly number[],
): LayersWasmModel {
  const memory = modelMemory(kernels);
  let model: Plan;
  try {
    model = plan(topology, weights, kernels, memory, inputShape);
  } catch (e) {
    memory.releaseAll();
    throw e;
  }
  const { calls } = model;
  const inputSize = size(inputShape);
  // Where the input and each output sit in the heap, looked up once: a frame only copies.
  const inputAt = memory.at(model.input.id);
  const outputSpans = model.results.map((v) => [memory.at(v.id), memory.at(v.id) + size(v.shape)] as const);
  let disposed = false;
  return {
    outputNames: model.outputNames,
    inputShape,
    run(data) {
      if (disposed) throw new Error('the model was disposed');
      if (data.length !== inputSize) throw new Error(`input of ${data.length} values, expected ${inputSize}`);
      kernels.heap().set(data, inputAt);
      for (const call of calls) call();
      const heap = kernels.heap();
      return outputSpans.map(([start, end]) => heap.slice(start, end));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      memory.releaseAll();
    },
  };
}
