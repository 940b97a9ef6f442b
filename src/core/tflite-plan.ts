/**
 * How a float TFLite graph (tflite-graph.ts) is run, whatever runs its operators: RELUs folded into the operator
 * before them, and when each intermediate tensor can be freed. Shared by the TF.js runner (tflite-run.ts) and the
 * direct wasm runner (tflite-wasm-run.ts). Pure.
 */
import type { TfliteGraph, TfliteOperator } from './tflite-graph.ts';

/**
 * A RELU whose input comes from a convolution or ADD without activation, and is read by nothing else, becomes that
 * op's fused activation (one op and one pass over the activations fewer; same numbers).
 */
export function fuseRelus(operators: readonly TfliteOperator[], graphOutputs: readonly number[]): TfliteOperator[] {
  const readers = new Map<number, number>();
  for (const o of operators) for (const i of o.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const i of graphOutputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const out: TfliteOperator[] = [];
  for (const o of operators) {
    const previous = out[out.length - 1];
    const input = o.inputs[0] ?? -1;
    const fusable =
      o.op === 'RELU' &&
      previous !== undefined &&
      previous.outputs[0] === input &&
      readers.get(input) === 1 &&
      ((previous.conv !== undefined && previous.conv.activation === 'none') || (previous.op === 'ADD' && previous.activation === 'none'));
    if (!fusable) {
      out.push(o);
      continue;
    }
    out[out.length - 1] = {
      ...previous,
      outputs: o.outputs,
      ...(previous.conv ? { conv: { ...previous.conv, activation: 'relu' as const } } : { activation: 'relu' as const }),
    };
  }
  return out;
}

/**
 * For each operator, the intermediate tensors it reads last: they are freed right after it runs instead of at the end
 * of the run, so the run's working memory is a few activations, not all of them (less fresh memory to touch on the
 * first run, and a smaller cache footprint on every run). `kept` (input, outputs, constants) are never freed.
 */
export function freedAfter(operators: readonly TfliteOperator[], kept: Iterable<number>): number[][] {
  const keep = new Set(kept);
  const lastReader = new Map<number, number>();
  operators.forEach((o, i) => {
    for (const index of o.inputs) if (!keep.has(index)) lastReader.set(index, i);
  });
  const freed = operators.map((): number[] => []);
  // An output nothing reads is freed right after it is made.
  operators.forEach((o, i) => {
    for (const index of o.outputs) if (!keep.has(index) && !lastReader.has(index)) lastReader.set(index, i);
  });
  for (const [index, i] of lastReader) freed[i]?.push(index);
  return freed;
}

/**
 * Each constant tensor's data by tensor index. The output of a DEQUANTIZE of a constant is that constant (already
 * widened to float32 when the graph was read), so that DEQUANTIZE needs no run.
 */
export function constantData(graph: TfliteGraph): Map<number, Float32Array | Int32Array> {
  const source = new Map<number, number>();
  for (const o of graph.operators) {
    const [input] = o.inputs;
    const [output] = o.outputs;
    if (o.op === 'DEQUANTIZE' && input !== undefined && output !== undefined) source.set(output, input);
  }
  const data = new Map<number, Float32Array | Int32Array>();
  graph.tensors.forEach((_, index) => {
    const values = graph.tensors[source.get(index) ?? index]?.data;
    if (values) data.set(index, values);
  });
  return data;
}

/** The operators a run executes, in order: constant-folded DEQUANTIZEs left out, RELUs folded unless `fuse` is false. */
export function operatorsToRun(graph: TfliteGraph, constants: ReadonlyMap<number, unknown>, fuse = true): TfliteOperator[] {
  const kept = graph.operators.filter((o) => !(o.op === 'DEQUANTIZE' && constants.has(o.outputs[0] ?? -1)));
  return fuse ? fuseRelus(kept, graph.outputs) : kept;
}
