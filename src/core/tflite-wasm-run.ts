/**
 * Runs a float TFLite graph (tflite-graph.ts) on TF.js's wasm kernels called directly (wasm-kernel-calls.ts), with the
 * operators, RELU folding and freeing plan of the TF.js runner (tflite-run.ts, tflite-plan.ts): the same kernels on
 * the same numbers, without tfjs-core. The constants are written into the wasm memory once (filters in TF.js's layout);
 * each run allocates each operator's output and frees every intermediate after its last reader. Used by the app's
 * face worker; tflite-wasm-run.test.ts holds it to the TF.js runner.
 */
import type { TfliteGraph, TfliteOperator } from './tflite-graph.ts';
import { freedAfter, fuseRelus } from './tflite-plan.ts';
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

/** Each tensor's constant data (a DEQUANTIZE of a constant folded into it), conv filters in HWIO. */
function constantValues(graph: TfliteGraph): Map<number, Float32Array> {
  const source = new Map<number, number>();
  const convFilters = new Set<number>();
  for (const o of graph.operators) {
    const [input] = o.inputs;
    const [output] = o.outputs;
    if (o.op === 'DEQUANTIZE' && input !== undefined && output !== undefined) source.set(output, input);
    if (o.op === 'CONV_2D' && o.inputs[1] !== undefined) convFilters.add(o.inputs[1]);
  }
  const values = new Map<number, Float32Array>();
  graph.tensors.forEach((t, index) => {
    const data = graph.tensors[source.get(index) ?? index]?.data;
    if (!data) return;
    const floats = data instanceof Float32Array ? data : Float32Array.from(data);
    values.set(index, convFilters.has(index) ? ohwiToHwio(floats, t.shape) : floats);
  });
  return values;
}

function fused(activation: 'none' | 'relu' | 'relu6'): FusedActivation {
  return activation === 'none' ? 'linear' : activation;
}

/** Copies `inputs` (same rank) into `out` along `axis`. */
function concatenate(heap: Float32Array, inputs: readonly { at: number; shape: readonly number[] }[], out: number, axis: number): void {
  const rank = inputs[0]?.shape.length ?? 0;
  const a = axis < 0 ? axis + rank : axis;
  const outer = size(inputs[0]?.shape.slice(0, a) ?? []);
  const chunks = inputs.map((x) => size(x.shape.slice(a)));
  const row = chunks.reduce((s, c) => s + c, 0);
  for (let r = 0; r < outer; r++) {
    let offset = out + r * row;
    inputs.forEach((x, k) => {
      const chunk = chunks[k]!;
      heap.copyWithin(offset, x.at + r * chunk, x.at + (r + 1) * chunk);
      offset += chunk;
    });
  }
}

/** Builds the runnable model and writes its constants into the wasm memory; throws on an operator it cannot run. */
export function createTfliteWasmModel(graph: TfliteGraph, kernels: WasmKernels): TfliteWasmModel {
  const [inputIndex] = graph.inputs;
  const inputShape = graph.tensors[inputIndex ?? -1]?.shape;
  if (inputIndex === undefined || !inputShape) throw new Error('the model has no input tensor');
  const constants = constantValues(graph);
  const kept = graph.operators.filter((o) => !(o.op === 'DEQUANTIZE' && constants.has(o.outputs[0] ?? -1)));
  const operators = fuseRelus(kept, graph.outputs);
  const freed = freedAfter(operators, [inputIndex, ...graph.outputs, ...constants.keys()]);
  // Tensor ids: the graph's tensor index + 1 (0 means "no tensor" to the kernels).
  const id = (index: number): number => index + 1;
  const offsets = new Map<number, number>();
  try {
    for (const [index, data] of constants) offsets.set(index, kernels.allocate(id(index), data.length));
    const heap = kernels.heap();
    for (const [index, data] of constants) heap.set(data, offsets.get(index)!);
  } catch (e) {
    for (const index of offsets.keys()) kernels.release(id(index));
    throw e;
  }
  const shapeOf = (index: number): readonly number[] => graph.tensors[index]?.shape ?? [];
  let disposed = false;

  function runOperator(o: TfliteOperator, at: (index: number) => number): void {
    const x = o.inputs[0] ?? -1;
    const out = o.outputs[0] ?? -1;
    switch (o.op) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const conv = o.conv;
        const filter = o.inputs[1] ?? -1;
        if (!conv) throw new Error(`${o.op} without options`);
        const filterShape = shapeOf(filter);
        const depthwise = o.op === 'DEPTHWISE_CONV_2D';
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
        if (depthwise) kernels.fusedDepthwiseConv2d(call);
        else kernels.fusedConv2d(call);
        return;
      }
      case 'MAX_POOL_2D': {
        const pool = o.pool;
        if (!pool) throw new Error('MAX_POOL_2D without options');
        kernels.maxPool({ x: id(x), out: id(out), inShape: shapeOf(x), filter: pool.filter, strides: pool.strides, padding: pool.padding });
        activateInPlace(out, pool.activation);
        return;
      }
      case 'ADD':
        kernels.add(id(x), id(o.inputs[1] ?? -1), id(out), shapeOf(out));
        activateInPlace(out, o.activation);
        return;
      case 'RELU':
        kernels.relu(id(x), id(out));
        return;
      case 'LOGISTIC':
        kernels.sigmoid(id(x), id(out));
        return;
      case 'PAD': {
        const values = graph.tensors[o.inputs[1] ?? -1]?.data;
        if (!values) throw new Error('PAD with paddings that are not a constant');
        const pairs = Array.from({ length: values.length / 2 }, (_, i) => [values[2 * i] ?? 0, values[2 * i + 1] ?? 0]);
        kernels.pad(
          id(x),
          id(out),
          shapeOf(x),
          pairs.map((p) => p[0]!),
          pairs.map((p) => p[1]!),
          0,
        );
        return;
      }
      case 'RESHAPE':
      case 'DEQUANTIZE': {
        const from = at(x);
        kernels.heap().copyWithin(at(out), from, from + size(shapeOf(x)));
        return;
      }
      case 'CONCATENATION': {
        concatenate(
          kernels.heap(),
          o.inputs.map((i) => ({ at: at(i), shape: shapeOf(i) })),
          at(out),
          o.axis ?? 0,
        );
        activateInPlace(out, o.activation);
        return;
      }
    }
  }

  function activateInPlace(index: number, activation: 'none' | 'relu' | 'relu6' | undefined): void {
    if (activation === 'relu') kernels.relu(id(index), id(index));
    else if (activation === 'relu6') kernels.relu6(id(index), id(index));
  }

  return {
    inputShape,
    run(input) {
      if (disposed) throw new Error('the model was disposed');
      if (input.length !== size(inputShape)) throw new Error(`input of ${input.length} values, expected ${size(inputShape)}`);
      const live = new Map<number, number>();
      const at = (index: number): number => {
        const where = live.get(index) ?? offsets.get(index);
        if (where === undefined) throw new Error(`tensor "${graph.tensors[index]?.name ?? index}" is read before it is computed`);
        return where;
      };
      const allocate = (index: number): void => {
        live.set(index, kernels.allocate(id(index), size(shapeOf(index))));
      };
      try {
        allocate(inputIndex);
        kernels.heap().set(input, live.get(inputIndex)!);
        operators.forEach((o, i) => {
          for (const index of o.outputs) allocate(index);
          runOperator(o, at);
          for (const index of freed[i] ?? []) {
            kernels.release(id(index));
            live.delete(index);
          }
        });
        const heap = kernels.heap();
        return graph.outputs.map((index) => heap.slice(at(index), at(index) + size(shapeOf(index))));
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
