/**
 * Runs a float TFLite graph (tflite-graph.ts) on TF.js's wasm kernels called directly (wasm-kernel-calls.ts), with the
 * operators, RELU folding and freeing plan of the TF.js runner (tflite-run.ts, tflite-plan.ts): the same kernels on
 * the same numbers, without tfjs-core. The constants are written into the wasm memory once (filters in TF.js's layout);
 * each run allocates each operator's output and frees every intermediate after its last reader. Used by the app's
 * face worker; tflite-wasm-run.test.ts holds it to the TF.js runner.
 */
import type { TfliteGraph, TfliteOperator } from './tflite-graph.ts';
import { constantData, freedAfter, operatorsToRun } from './tflite-plan.ts';
import type { FusedActivation, WasmKernels } from './wasm-kernel-calls.ts';

export interface TfliteWasmModel {
  /** The graph's outputs for `input` (the graph's input shape, row-major), in the graph's output order. */
  run(input: Float32Array): Float32Array[];
  /** The graph's input shape, e.g. [1, 128, 128, 3]. */
  readonly inputShape: readonly number[];
  /** Frees the constants; run() fails afterwards. */
  dispose(): void;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** OHWI (TFLite's conv filter) -> HWIO (TF.js's). */
function ohwiToHwio(data: Float32Array, [o = 1, h = 1, w = 1, i = 1]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let oo = 0; oo < o; oo++)
    for (let hh = 0; hh < h; hh++)
      for (let ww = 0; ww < w; ww++)
        for (let ii = 0; ii < i; ii++) out[((hh * w + ww) * i + ii) * o + oo] = data[((oo * h + hh) * w + ww) * i + ii]!;
  return out;
}

/** Each constant as float32 (constantData: a DEQUANTIZE of a constant folded into it), conv filters in HWIO. */
function constantValues(graph: TfliteGraph): Map<number, Float32Array> {
  const convFilters = new Set<number>();
  for (const o of graph.operators) if (o.op === 'CONV_2D' && o.inputs[1] !== undefined) convFilters.add(o.inputs[1]);
  const values = new Map<number, Float32Array>();
  for (const [index, data] of constantData(graph)) {
    const floats = data instanceof Float32Array ? data : Float32Array.from(data);
    values.set(index, convFilters.has(index) ? ohwiToHwio(floats, graph.tensors[index]?.shape ?? []) : floats);
  }
  return values;
}

function fused(activation: 'none' | 'relu' | 'relu6'): FusedActivation {
  return activation === 'none' ? 'linear' : activation;
}

/** Copies the tensors at `inputs` (shapes `shapes`, same rank) into `out` along `axis`; the sizes worked out once. */
function concatenation(
  shapes: readonly (readonly number[])[],
  axis: number,
): (heap: Float32Array, inputs: readonly number[], out: number) => void {
  const rank = shapes[0]?.length ?? 0;
  const a = axis < 0 ? axis + rank : axis;
  const outer = size(shapes[0]?.slice(0, a) ?? []);
  const chunks = shapes.map((shape) => size(shape.slice(a)));
  const row = chunks.reduce((s, c) => s + c, 0);
  return (heap, inputs, out) => {
    for (let r = 0; r < outer; r++) {
      let offset = out + r * row;
      inputs.forEach((at, k) => {
        const chunk = chunks[k]!;
        heap.copyWithin(offset, at + r * chunk, at + (r + 1) * chunk);
        offset += chunk;
      });
    }
  };
}

/** A prepared operator: its kernel's arguments worked out once; `at` gives a tensor's index in the heap this run. */
type Step = (at: (index: number) => number) => void;

/** Tensor ids: the graph's tensor index + 1 (0 means "no tensor" to the kernels). */
const id = (index: number): number => index + 1;

/** `o` as a step on `kernels`; throws on an operator it cannot run. */
function prepareStep(o: TfliteOperator, graph: TfliteGraph, kernels: WasmKernels): Step {
  const shapeOf = (index: number): readonly number[] => graph.tensors[index]?.shape ?? [];
  const x = o.inputs[0] ?? -1;
  const out = o.outputs[0] ?? -1;
  const then = (run: () => void, activation: 'none' | 'relu' | 'relu6' | undefined): Step => {
    const activate =
      activation === 'relu' ? kernels.relu(id(out), id(out)) : activation === 'relu6' ? kernels.relu6(id(out), id(out)) : undefined;
    return activate
      ? () => {
          run();
          activate();
        }
      : run;
  };
  switch (o.op) {
    case 'CONV_2D':
    case 'DEPTHWISE_CONV_2D': {
      const conv = o.conv;
      const filter = o.inputs[1] ?? -1;
      if (!conv) throw new Error(`${o.op} without options`);
      const filterShape = shapeOf(filter);
      const call = {
        x: id(x),
        filter: id(filter),
        bias: o.inputs[2] !== undefined && o.inputs[2] >= 0 ? id(o.inputs[2]) : 0,
        out: id(out),
        inShape: shapeOf(x),
        // OHWI and [1, H, W, C] both hold H and W in dimensions 1 and 2.
        filterHeight: filterShape[1] ?? 1,
        filterWidth: filterShape[2] ?? 1,
        strides: conv.strides,
        padding: conv.padding,
        outChannels: shapeOf(out)[3] ?? 1,
        activation: fused(conv.activation),
      };
      return o.op === 'DEPTHWISE_CONV_2D' ? kernels.fusedDepthwiseConv2d(call) : kernels.fusedConv2d(call);
    }
    case 'MAX_POOL_2D': {
      const pool = o.pool;
      if (!pool) throw new Error('MAX_POOL_2D without options');
      const run = kernels.maxPool({
        x: id(x),
        out: id(out),
        inShape: shapeOf(x),
        filter: pool.filter,
        strides: pool.strides,
        padding: pool.padding,
      });
      return then(run, pool.activation);
    }
    case 'ADD':
      return then(kernels.add(id(x), id(o.inputs[1] ?? -1), id(out), shapeOf(out)), o.activation);
    case 'RELU':
      return kernels.relu(id(x), id(out));
    case 'LOGISTIC':
      return kernels.sigmoid(id(x), id(out));
    case 'PAD': {
      const values = graph.tensors[o.inputs[1] ?? -1]?.data;
      if (!values) throw new Error('PAD with paddings that are not a constant');
      const pairs = Array.from({ length: values.length / 2 }, (_, i) => [values[2 * i] ?? 0, values[2 * i + 1] ?? 0]);
      return kernels.pad(
        id(x),
        id(out),
        shapeOf(x),
        pairs.map((p) => p[0]!),
        pairs.map((p) => p[1]!),
        0,
      );
    }
    case 'RESHAPE':
    case 'DEQUANTIZE': {
      const length = size(shapeOf(x));
      return (at) => {
        const from = at(x);
        kernels.heap().copyWithin(at(out), from, from + length);
      };
    }
    case 'CONCATENATION': {
      const copy = concatenation(o.inputs.map(shapeOf), o.axis ?? 0);
      const inputs = o.inputs;
      const activate = then(() => undefined, o.activation);
      return (at) => {
        copy(kernels.heap(), inputs.map(at), at(out));
        activate(at);
      };
    }
  }
}

/** Builds the runnable model and writes its constants into the wasm memory; throws on an operator it cannot run. */
export function createTfliteWasmModel(graph: TfliteGraph, kernels: WasmKernels): TfliteWasmModel {
  const [inputIndex] = graph.inputs;
  const inputShape = graph.tensors[inputIndex ?? -1]?.shape;
  if (inputIndex === undefined || !inputShape) throw new Error('the model has no input tensor');
  const constants = constantValues(graph);
  const operators = operatorsToRun(graph, constants);
  const steps = operators.map((o) => prepareStep(o, graph, kernels));
  const freed = freedAfter(operators, [inputIndex, ...graph.outputs, ...constants.keys()]);
  // Each operator's outputs, with their sizes: allocated as the operator runs.
  const outputs = operators.map((o) => o.outputs.map((index) => [index, size(graph.tensors[index]?.shape ?? [])] as const));
  const inputSize = size(inputShape);
  const results = graph.outputs.map((index) => [index, size(graph.tensors[index]?.shape ?? [])] as const);
  const offsets = new Map<number, number>();
  try {
    for (const [index, data] of constants) offsets.set(index, kernels.allocate(id(index), data.length));
    const heap = kernels.heap();
    for (const [index, data] of constants) heap.set(data, offsets.get(index)!);
  } catch (e) {
    for (const index of offsets.keys()) kernels.release(id(index));
    throw e;
  }
  let disposed = false;

  return {
    inputShape,
    run(input) {
      if (disposed) throw new Error('the model was disposed');
      if (input.length !== inputSize) throw new Error(`input of ${input.length} values, expected ${inputSize}`);
      const live = new Map<number, number>();
      const at = (index: number): number => {
        const where = live.get(index) ?? offsets.get(index);
        if (where === undefined) throw new Error(`tensor "${graph.tensors[index]?.name ?? index}" is read before it is computed`);
        return where;
      };
      try {
        live.set(inputIndex, kernels.allocate(id(inputIndex), inputSize));
        kernels.heap().set(input, live.get(inputIndex)!);
        steps.forEach((step, i) => {
          for (const [index, floats] of outputs[i]!) live.set(index, kernels.allocate(id(index), floats));
          step(at);
          for (const index of freed[i] ?? []) {
            kernels.release(id(index));
            live.delete(index);
          }
        });
        const heap = kernels.heap();
        return results.map(([index, floats]) => heap.slice(at(index), at(index) + floats));
      } finally {
        for (const index of live.keys()) kernels.release(id(index));
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const index of offsets.keys()) kernels.release(id(index));
    },
  };
}
