/**
 * The expression CNN behind a small interface: one preprocessed face in, features / class probabilities /
 * valence-arousal out, every tensor disposed (expression-model.test.ts checks tf.memory() is unchanged).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectedValenceArousal } from '../../core/emotions.ts';
import type { ValenceArousal } from '../../core/emotions.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import { predictFaces } from '../../core/mirror-average.ts';
import { loadLayersGraph } from '../models/layers-graph-files.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';

export interface ExpressionOutput {
  /** The 300-d feature vector (the temporal model's input). */
  readonly features: Float32Array;
  /** Class probabilities in the manifest's label order (EMOTIONS). */
  readonly probs: Float32Array;
  /** The model's own valence/arousal head, or the circumplex expectation of `probs` when it has none. */
  readonly va: ValenceArousal;
}

export interface ExpressionModel {
  readonly entry: ModelEntry;
  /** `input` is size x size normalised gray values (preprocessFace's output). */
  predict(input: Float32Array): Promise<ExpressionOutput>;
  dispose(): void;
}

/** Loads the model on the current tf backend from verified files. */
export async function loadExpressionModel(entry: ModelEntry, files: ModelFiles): Promise<ExpressionModel> {
  const shape = entry.input.shape;
  if (shape.length !== 3 || shape[2] !== 1)
    throw new ModelFileError(
      'manifest.json',
      `gives ${entry.name} input shape [${shape.join(', ')}]; expected [size, size, 1]`,
      'input.shape',
    );
  const names = entry.outputs.map((o) => o.name);
  const iFeatures = names.indexOf('features');
  const iClasses = names.indexOf('classes');
  const iVa = names.indexOf('va');
  if (iFeatures < 0 || iClasses < 0)
    throw new ModelFileError(
      'manifest.json',
      `lists outputs [${names.join(', ')}] for ${entry.name}; features and classes are required`,
      'outputs',
    );
  const model = loadLayersGraph(entry, files);
  if (model.outputNames.length !== names.length) {
    model.dispose();
    throw new ModelFileError(entry.entry, `has ${model.outputNames.length} outputs, the manifest lists ${names.length}`);
  }
  const inputShape: [number, number, number, number] = [1, shape[0]!, shape[1]!, 1];
  const mirrorAverage = entry.input.mirrorAverage === true;
  return {
    entry,
    async predict(input) {
      const x = tf.tensor4d(input, inputShape);
      const outputs = predictFaces(model, x, mirrorAverage);
      x.dispose();
      try {
        const data = await Promise.all(outputs.map((t) => t.data<'float32'>()));
        const probs = data[iClasses]!;
        const va = iVa >= 0 ? { valence: data[iVa]![0]!, arousal: data[iVa]![1]! } : expectedValenceArousal(probs);
        return { features: data[iFeatures]!, probs, va };
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
