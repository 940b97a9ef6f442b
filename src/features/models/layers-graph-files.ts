/**
 * A layers model's verified files (model.json + weights) as a LayersGraph (src/core/layers-graph.ts): the app runs
 * its models on TF.js core ops without tfjs-layers. Errors name the file at fault.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildLayersGraph, LayersGraphError } from '../../core/layers-graph.ts';
import type { LayersGraph } from '../../core/layers-graph.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { layersArtifacts } from './model-artifacts.ts';
import type { ModelFiles } from './model-artifacts.ts';

/** The weights of an entry's files by name ("layer/kernel"), decoded on the current backend; the caller disposes them. */
export function decodeLayersWeights(entry: ModelEntry, files: ModelFiles): { topology: unknown; weights: tf.NamedTensorMap } {
  const artifacts = layersArtifacts(entry, files);
  try {
    return { topology: artifacts.modelTopology, weights: tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs ?? []) };
  } catch (e) {
    throw new ModelFileError(entry.entry, `its weights could not be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
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
