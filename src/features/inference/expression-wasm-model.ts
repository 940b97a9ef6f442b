/**
 * The expression CNN on TF.js's wasm kernels called directly (src/core/layers-wasm-run.ts), for the wasm backend: the
 * numbers TF.js's wasm backend gives, without loading tfjs-core. Test-time mirroring as mirror-average.ts does it on
 * TF.js: the face and its left-right mirror image in one batch of two, each output the mean of the two, (a + b) * 0.5
 * in float32.
 */
import { LayersGraphError } from '../../core/layers-topology.ts';
import { createLayersWasmModel } from '../../core/layers-wasm-run.ts';
import type { LayersWasmModel } from '../../core/layers-wasm-run.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { WasmKernels } from '../../core/wasm-kernel-calls.ts';
import { decodeLayersWeightArrays } from '../models/layers-weight-arrays.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';
import { checkOutputCount, expressionLayout, expressionOutput } from './expression-outputs.ts';
import type { ExpressionModel } from './expression-outputs.ts';

/** Writes the face and its mirror image (columns reversed) one after the other into `batch`. */
export function mirroredBatch(input: Float32Array, height: number, width: number, batch: Float32Array): Float32Array {
  batch.set(input);
  const offset = height * width;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) batch[offset + y * width + x] = input[y * width + (width - 1 - x)]!;
  return batch;
}

/** The mean of the two halves of a batch-of-two output, rounded as TF.js's float32 add then multiply round it. */
export function meanOfHalves(output: Float32Array): Float32Array {
  const n = output.length / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.fround(output[i]! + output[n + i]!) * 0.5;
  return out;
}

function build(entry: ModelEntry, files: ModelFiles, kernels: WasmKernels, inputShape: number[]): LayersWasmModel {
  const { topology, weights } = decodeLayersWeightArrays(entry, files);
  try {
    return createLayersWasmModel(topology, weights, kernels, inputShape);
  } catch (e) {
    if (e instanceof LayersGraphError) throw new ModelFileError(entry.entry, e.message);
    throw e;
  }
}

/** The entry's model from verified files, on `kernels`. */
export function loadWasmExpressionModel(entry: ModelEntry, files: ModelFiles, kernels: WasmKernels): ExpressionModel {
  const layout = expressionLayout(entry);
  const [height, width] = layout.size;
  const model = build(entry, files, kernels, [layout.mirrorAverage ? 2 : 1, height, width, 1]);
  try {
    checkOutputCount(entry, layout, model.outputNames.length);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const batch = new Float32Array(2 * height * width);
  return {
    entry,
    predict(input) {
      if (input.length !== height * width)
        return Promise.reject(new Error(`a face of ${input.length} values, expected ${height} x ${width}`));
      const outputs = layout.mirrorAverage ? model.run(mirroredBatch(input, height, width, batch)).map(meanOfHalves) : model.run(input);
      return Promise.resolve(expressionOutput(layout, outputs));
    },
    dispose() {
      model.dispose();
    },
  };
}
