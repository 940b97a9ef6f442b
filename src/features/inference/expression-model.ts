/**
 * The expression CNN on TF.js (the app's WebGPU, WebGL and cpu backends) behind the small
 * interface of expression-outputs.ts: one preprocessed face in, features / class probabilities / valence-arousal out,
 * every tensor disposed (expression-model.test.ts checks tf.memory() is unchanged). On wasm the app runs the same
 * model on TF.js's wasm kernels directly (expression-wasm-model.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { predictFaces } from '../../core/mirror-average.ts';
import { loadLayersGraph } from '../models/layers-graph-files.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';
import { checkOutputCount, expressionLayout, expressionOutput } from './expression-outputs.ts';
import type { ExpressionModel } from './expression-outputs.ts';

/** Loads the model on the current tf backend from verified files. */
export async function loadExpressionModel(entry: ModelEntry, files: ModelFiles): Promise<ExpressionModel> {
  const layout = expressionLayout(entry);
  const model = loadLayersGraph(entry, files);
  try {
    checkOutputCount(entry, layout, model.outputNames.length);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const inputShape: [number, number, number, number] = [1, layout.size[0], layout.size[1], 1];
  return {
    entry,
    async predict(input) {
      const x = tf.tensor4d(input, inputShape);
      const outputs = predictFaces(model, x, layout.mirrorAverage);
      x.dispose();
      try {
        return expressionOutput(layout, await Promise.all(outputs.map((t) => t.data<'float32'>())));
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
