/**
 * A layers model's verified files (model.json + weights) as a LayersGraph (src/core/layers-graph.ts): the app runs
 * its models on TF.js core ops without tfjs-layers. Errors name the file at fault.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildLayersGraph } from '../../core/layers-graph.ts';
import { LayersGraphError } from '../../core/layers-topology.ts';
import type { LayersGraph } from '../../core/layers-graph.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { decodeLayersWeightArrays } from './layers-weight-arrays.ts';
import type { ModelFiles } from './model-artifacts.ts';

/** The weights of an entry's files by name ("layer/kernel") as tensors on the current backend; the caller disposes them. */
export function decodeLayersWeights(entry: ModelEntry, files: ModelFiles): { topology: unknown; weights: tf.NamedTensorMap } {
  const { topology, weights } = decodeLayersWeightArrays(entry, files);
  const tensors: tf.NamedTensorMap = {};
  for (const [name, w] of weights) tensors[name] = tf.tensor(w.values, [...w.shape], 'float32');
  return { topology, weights: tensors };
}

/** The entry's model, ready to run on the current backend. */
export function loadLayersGraph(entry: ModelEntry, files: ModelFiles): LayersGraph {
  const { topology, weights } = decodeLayersWeights(entry, files);
  try {
    return buildLayersGraph(topology, weights);
  } catch (e) {
    if (e instanceof LayersGraphError) throw new ModelFileError(entry.entry, e.message);
    throw e;
  }
}
