/**
 * TF.js's wasm binary (tfjs-backend-wasm's C++ kernels on XNNPACK) called directly, without tfjs-core: the same
 * functions, with the same arguments, that the wasm backend's kernels pass (tfjs-backend-wasm/dist/kernels/*.js), on
 * tensors this module registers itself. A thread that runs a fixed graph needs no tensor bookkeeping, and a worker
 * that starts without tfjs-core does not compile and optimise it on every visit (BENCHMARKS.md, ninth round).
 */
import * as wasmFactoryModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js';

type Fn = (...args: (number | Uint8Array)[]) => void;

/** The Emscripten module the glue builds (the parts used here). */
interface EmscriptenModule {
  readonly HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  cwrap(name: string, returns: null, args: readonly ('number' | 'array')[]): Fn;
}

interface FactoryConfig {
  locateFile(path: string, prefix: string): string;
  onAbort?(what: unknown): void;
}

type Factory = (config: FactoryConfig) => Promise<EmscriptenModule>;

/** Activations the fused convolutions apply (tfjs-backend-wasm's FusableActivation). */
export type FusedActivation = 'linear' | 'relu' | 'relu6';
const ACTIVATION_CODE: Record<FusedActivation, number> = { linear: 0, relu: 1, relu6: 2 };
/** float32 in tfjs-backend-wasm's CppDType. */
const FLOAT32 = 0;

export interface Conv2dCall {
  readonly x: number;
  readonly filter: number;
  /** 0: no bias. */
  readonly bias: number;
  readonly out: number;
  /** [batch, height, width, channels] of x. */
  readonly inShape: readonly number[];
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strides: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly outChannels: number;
  readonly activation: FusedActivation;
}

/** An unfused Conv2D (TF.js's tf.conv2d on the wasm backend): no bias, no activation, any dilation. */
export interface PlainConv2dCall {
  readonly x: number;
  readonly filter: number;
  readonly out: number;
  readonly inShape: readonly number[];
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly outChannels: number;
}

export interface BatchNormCall {
  readonly x: number;
  readonly mean: number;
  readonly variance: number;
  /** 0: none. */
  readonly offset: number;
  /** 0: none. */
  readonly scale: number;
  readonly epsilon: number;
  readonly out: number;
}

export interface Pool2dCall {
  readonly x: number;
  readonly out: number;
  readonly inShape: readonly number[];
  readonly filter: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padding: 'same' | 'valid';
}

/**
 * The tensor ids and calls; every id names memory this module allocated (allocate) and nothing else. Each kernel's
 * arguments are worked out once, when it is prepared: the function returned runs it (on every frame, in the face
 * worker) with nothing left to compute.
 */
export interface WasmKernels {
  /** Allocates `floats` float32 values under `id`; returns their index in heap(). */
  allocate(id: number, floats: number): number;
  /** Frees what allocate(id) gave. */
  release(id: number): void;
  /** How many allocations are not yet released. */
  allocations(): number;
  /** The wasm memory as float32; a new view after any allocation (memory may have grown). */
  heap(): Float32Array;
  fusedConv2d(call: Conv2dCall): () => void;
  conv2d(call: PlainConv2dCall): () => void;
  /** Batch normalisation over the last axis (mean, variance, offset and scale of its size). */
  batchNorm(call: BatchNormCall): () => void;
  avgPool(call: Pool2dCall): () => void;
  fusedDepthwiseConv2d(call: Conv2dCall): () => void;
  maxPool(call: Pool2dCall): () => void;
  /** Element-wise a + b, `b` broadcast to `shape` where its own shape `bShape` is smaller (a bias). */
  add(a: number, b: number, out: number, shape: readonly number[], bShape?: readonly number[]): () => void;
  /** [batch, m, k] x [batch, k, n] -> [batch, m, n]. */
  batchMatMul(a: number, aShape: readonly number[], b: number, bShape: readonly number[], out: number): () => void;
  /** Reorders the dimensions of `x` (shape `shape`) by `perm`. */
  transpose(x: number, out: number, shape: readonly number[], perm: readonly number[]): () => void;
  /** The mean of each run of `reduceSize` consecutive values. */
  mean(x: number, out: number, reduceSize: number): () => void;
  /** The largest of each run of `reduceSize` consecutive values. */
  max(x: number, out: number, reduceSize: number): () => void;
  /** Softmax over each run of `channels` consecutive values (`batch` runs). */
  softmax(x: number, out: number, channels: number, batch: number): () => void;
  clip(x: number, out: number, min: number, max: number): () => void;
  tanh(x: number, out: number): () => void;
  elu(x: number, out: number): () => void;
  selu(x: number, out: number): () => void;
  relu(x: number, out: number): () => void;
  relu6(x: number, out: number): () => void;
  sigmoid(x: number, out: number): () => void;
  /** Constant padding (`before[i]`, `after[i]` values around dimension i). */
  pad(x: number, out: number, shape: readonly number[], before: readonly number[], after: readonly number[], value: number): () => void;
}

/** TensorFlow's SAME padding: [before, after] for one dimension (dilation 1), as TF.js computes it. */
export function samePadding(inSize: number, filterSize: number, stride: number): [number, number] {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max(0, (outSize - 1) * stride + filterSize - inSize);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** [top, right, bottom, left] padding of a `filter` window over [height, width] (none for VALID). */
function paddingOf(
  padding: 'same' | 'valid',
  [height, width]: readonly [number, number],
  filter: readonly [number, number],
  strides: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [top, bottom] = samePadding(height, filter[0], strides[0]);
  const [left, right] = samePadding(width, filter[1], strides[1]);
  return [top, right, bottom, left];
}

/** The leading arguments of every windowed kernel: input id, batch, height, width, and the window's padding. */
function windowOver(
  x: number,
  [batch = 1, height = 0, width = 0]: readonly number[],
  padding: 'same' | 'valid',
  filter: readonly [number, number],
  strides: readonly [number, number],
): [number, number, number, number, [number, number, number, number]] {
  return [x, batch, height, width, paddingOf(padding, [height, width], filter, strides)];
}

/** Channels of an NHWC shape. */
const channelsOf = (shape: readonly number[]): number => shape[3] ?? 0;

function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(new Int32Array(values).buffer);
}

/** The calls on a module the glue built; `init` has already run. */
export function wasmKernels(module: EmscriptenModule): WasmKernels {
  const n = (count: number): ('number' | 'array')[] => Array<'number'>(count).fill('number');
  const registerTensor = module.cwrap('register_tensor', null, n(3));
  const disposeData = module.cwrap('dispose_data', null, n(1));
  const fusedConv = module.cwrap('FusedConv2D', null, n(23));
  const fusedDepthwise = module.cwrap('FusedDepthwiseConv2D', null, n(23));
  const maxPool = module.cwrap('MaxPool', null, n(17));
  const add = module.cwrap('Add', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number']);
  const relu = module.cwrap('Relu', null, n(3));
  const relu6 = module.cwrap('Relu6', null, n(3));
  const sigmoid = module.cwrap('Sigmoid', null, n(2));
  const conv2d = module.cwrap('Conv2D', null, n(19));
  const batchNorm = module.cwrap('FusedBatchNorm', null, n(7));
  const avgPool = module.cwrap('AvgPool', null, n(14));
  const batchMatMul = module.cwrap('BatchMatMul', null, [
    'number',
    'array',
    'number',
    'number',
    'array',
    'number',
    'number',
    'number',
    'number',
  ]);
  const transpose = module.cwrap('Transpose', null, ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  const mean = module.cwrap('Mean', null, n(3));
  const max = module.cwrap('Max', null, n(4));
  const softmax = module.cwrap('Softmax', null, n(4));
  const clip = module.cwrap('ClipByValue', null, n(4));
  const tanh = module.cwrap('Tanh', null, n(3));
  const elu = module.cwrap('Elu', null, n(3));
  const selu = module.cwrap('Selu', null, n(3));
  const padV2 = module.cwrap('PadV2', null, ['number', 'array', 'number', 'number', 'array', 'array', 'number', 'number']);
  const pointers = new Map<number, number>();

  // Each kernel's arguments in the order of its tfjs-backend-wasm/dist/kernels/*.js.
  const conv = (fn: Fn, c: Conv2dCall): (() => void) => {
    const [x, batch, height, width, pads] = windowOver(c.x, c.inShape, c.padding, [c.filterHeight, c.filterWidth], c.strides);
    const same = c.padding === 'same' ? 1 : 0;
    // Dilations 1 x 1; then the fused activation, with no PReLU weights and no leaky-ReLU slope.
    const args = [x, batch, height, width, c.filter, c.filterHeight, c.filterWidth, c.bias, ...pads, same, 1, 1, ...c.strides];
    args.push(channelsOf(c.inShape), c.outChannels, ACTIVATION_CODE[c.activation], 0, 0, c.out);
    return () => fn(...args);
  };

  return {
    allocate(id, floats) {
      const pointer = module._malloc(floats * 4);
      if (pointer === 0) throw new Error(`the wasm runtime could not allocate ${floats * 4} bytes`);
      pointers.set(id, pointer);
      registerTensor(id, floats, pointer);
      return pointer / 4;
    },
    release(id) {
      const pointer = pointers.get(id);
      if (pointer === undefined) return;
      disposeData(id);
      module._free(pointer);
      pointers.delete(id);
    },
    allocations: () => pointers.size,
    heap: () => new Float32Array(module.HEAPU8.buffer),
    fusedConv2d: (c) => conv(fusedConv, c),
    fusedDepthwiseConv2d: (c) => conv(fusedDepthwise, c),
    conv2d(c) {
      // SAME padding over the dilated filter, as TF.js's computeConv2DInfo pads.
      const dilated = (size: number, dilation: number): number => size + (size - 1) * (dilation - 1);
      const window = [dilated(c.filterHeight, c.dilations[0]), dilated(c.filterWidth, c.dilations[1])] as const;
      const [x, batch, height, width, pads] = windowOver(c.x, c.inShape, c.padding, window, c.strides);
      const same = c.padding === 'same' ? 1 : 0;
      const args = [x, batch, height, width, c.filter, c.filterHeight, c.filterWidth, ...pads, same, ...c.dilations, ...c.strides];
      args.push(channelsOf(c.inShape), c.outChannels, c.out);
      return () => conv2d(...args);
    },
    batchNorm: (c) => () => batchNorm(c.x, c.mean, c.variance, c.offset, c.scale, c.epsilon, c.out),
    avgPool(c) {
      const [x, batch, height, width, pads] = windowOver(c.x, c.inShape, c.padding, c.filter, c.strides);
      const args = [x, batch, height, width, ...c.filter, ...pads, ...c.strides, channelsOf(c.inShape), c.out];
      return () => avgPool(...args);
    },
    maxPool(c) {
      const [x, batch, height, width, pads] = windowOver(c.x, c.inShape, c.padding, c.filter, c.strides);
      const channels = channelsOf(c.inShape);
      // Dilations 1 x 1, and as many output channels as input ones.
      const args = [x, batch, height, width, ...c.filter, ...pads, 1, 1, ...c.strides, channels, channels, c.out];
      return () => maxPool(...args);
    },
    add(a, b, out, shape, bShape = shape) {
      const [aBytes, bBytes] = [int32Bytes(shape), int32Bytes(bShape)];
      return () => add(a, aBytes, shape.length, b, bBytes, bShape.length, FLOAT32, out);
    },
    batchMatMul(a, aShape, b, bShape, out) {
      const [aBytes, bBytes] = [int32Bytes(aShape), int32Bytes(bShape)];
      // No transposes (the argument order of tfjs-backend-wasm's BatchMatMul.js).
      return () => batchMatMul(a, aBytes, aShape.length, b, bBytes, bShape.length, 0, 0, out);
    },
    transpose(x, out, shape, perm) {
      const [shapeBytes, permBytes] = [int32Bytes(shape), int32Bytes(perm)];
      return () => transpose(x, shapeBytes, shape.length, FLOAT32, out, permBytes, perm.length);
    },
    mean: (x, out, reduceSize) => () => mean(x, reduceSize, out),
    max: (x, out, reduceSize) => () => max(x, FLOAT32, reduceSize, out),
    softmax: (x, out, channels, batch) => () => softmax(x, out, channels, batch),
    clip: (x, out, min, maxValue) => () => clip(x, min, maxValue, out),
    tanh: (x, out) => () => tanh(x, FLOAT32, out),
    elu: (x, out) => () => elu(x, FLOAT32, out),
    selu: (x, out) => () => selu(x, FLOAT32, out),
    relu: (x, out) => () => relu(x, FLOAT32, out),
    relu6: (x, out) => () => relu6(x, FLOAT32, out),
    sigmoid: (x, out) => () => sigmoid(x, out),
    pad(x, out, shape, before, after, value) {
      const [shapeBytes, beforeBytes, afterBytes] = [int32Bytes(shape), int32Bytes(before), int32Bytes(after)];
      return () => padV2(x, shapeBytes, shape.length, FLOAT32, beforeBytes, afterBytes, value, out);
    },
  };
}

/**
 * Starts TF.js's non-threaded wasm build from `binaryUrl` (the SIMD binary or the plain one; the glue is the same for
 * both) and returns its calls. Rejects when the binary cannot be fetched or compiled.
 */
export async function startWasmKernels(binaryUrl: string): Promise<WasmKernels> {
  // A CommonJS module: its function is the default export, or the module itself where no interop wraps it.
  const imported = wasmFactoryModule as unknown as { default?: Factory };
  const factory = imported.default ?? (imported as unknown as Factory);
  let aborted: unknown;
  const module = await factory({
    locateFile: (path, prefix) => (path.endsWith('.wasm') ? binaryUrl : prefix + path),
    onAbort: (what) => {
      aborted = what;
    },
  });
  if (aborted !== undefined) throw new Error(`the wasm runtime aborted: ${String(aborted)}`);
  module.cwrap('init', null, [])();
  return wasmKernels(module);
}
