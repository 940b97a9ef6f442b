/**
 * The app's face detector (blazeface-detection.ts) on TF.js's wasm kernels called directly (tflite-wasm-run.ts), in
 * the face worker without tfjs-core.
 */
import { blazefaceDetectorOn, checkBlazefaceGraph } from './blazeface-detection.ts';
import type { BlazefaceDetector, BlazefaceDetectorOptions } from './blazeface-detection.ts';
import { readTfliteGraph } from './tflite-graph.ts';
import { createTfliteWasmModel } from './tflite-wasm-run.ts';
import type { WasmKernels } from './wasm-kernel-calls.ts';

/** Builds the detector from the .tflite bytes on `kernels`; `what` names the file in errors. */
export function createBlazefaceWasmDetector(
  modelBytes: Uint8Array,
  what: string,
  kernels: WasmKernels,
  options: BlazefaceDetectorOptions = {},
): BlazefaceDetector {
  const model = createTfliteWasmModel(checkBlazefaceGraph(readTfliteGraph(modelBytes, what), what), kernels);
  return blazefaceDetectorOn(
    (input) => model.run(input),
    () => model.dispose(),
    what,
    options,
  );
}
