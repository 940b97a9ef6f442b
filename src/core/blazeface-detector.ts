/**
 * The face detector on TF.js (blazeface-detection.ts, run by tflite-run.ts on whatever backend is active): training's
 * detector in Node, so a training crop is framed exactly as a live one, and the reference the app's direct wasm
 * runner is held to (tflite-wasm-run.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BLAZEFACE_INPUT_SIZE } from './blazeface.ts';
import { blazefaceDetectorOn, checkBlazefaceGraph } from './blazeface-detection.ts';
import type { BlazefaceDetector, BlazefaceDetectorOptions } from './blazeface-detection.ts';
import { readTfliteGraph } from './tflite-graph.ts';
import { createTfliteModel } from './tflite-run.ts';

export type { BlazefaceDetector, BlazefaceDetectorOptions } from './blazeface-detection.ts';

/** Builds the detector from the .tflite bytes; `what` names the file in errors. */
export function createBlazefaceDetector(modelBytes: Uint8Array, what: string, options: BlazefaceDetectorOptions = {}): BlazefaceDetector {
  const model = createTfliteModel(checkBlazefaceGraph(readTfliteGraph(modelBytes, what), what));
  const run = (input: Float32Array): Float32Array[] => {
    const x = tf.tensor4d(input, [1, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE, 3]);
    const outputs = model.run(x);
    x.dispose();
    try {
      return outputs.map((t) => t.dataSync() as Float32Array);
    } finally {
      tf.dispose(outputs);
    }
  };
  return blazefaceDetectorOn(run, () => model.dispose(), what, options);
}
