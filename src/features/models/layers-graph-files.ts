/**
 * A layers model's verified files (model.json + weights) as a LayersGraph (src/core/layers-graph.ts): the app runs
 * its models on TF.js core ops without tfjs-layers. Errors name the file at fault.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hasNativeFloat16, widenFloat16Natively } from '../../core/float16.ts';
import { buildLayersGraph, LayersGraphError } from '../../core/layers-graph.ts';
import type { LayersGraph } from '../../core/layers-graph.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { layersArtifacts } from './model-artifacts.ts';
import type { ModelFiles } from './model-artifacts.ts';

/**
 * `data` with its float16-quantized float32 weights widened by the platform (float16.ts) and their specs unquantized;
 * unchanged where the platform has no Float16Array or a weight is of another kind (tfjs decodes those itself).
 */
export function widenFloat16Weights(
  data: tf.io.WeightData,
  specs: readonly tf.io.WeightsManifestEntry[],
): { data: tf.io.WeightData; specs: tf.io.WeightsManifestEntry[] } {
  const unchanged = { data, specs: [...specs] };
  const widenable = (s: tf.io.WeightsManifestEntry): boolean =>
    s.dtype === 'float32' && (s.quantization === undefined || s.quantization.dtype === 'float16');
  if (!(data instanceof ArrayBuffer) || !specs.every(widenable) || !hasNativeFloat16()) return unchanged;
  const counts = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
  const sizes = specs.map((s, i) => counts[i]! * (s.quantization ? 2 : 4));
  // Bytes that do not add up are left to tfjs, which names the problem.
  if (sizes.reduce((a, b) => a + b, 0) !== data.byteLength) return unchanged;
  const out = new Float32Array(counts.reduce((a, b) => a + b, 0));
  let read = 0;
  let written = 0;
  specs.forEach((s, i) => {
    const bytes = new Uint8Array(data, read, sizes[i]);
    out.set(s.quantization ? widenFloat16Natively(bytes)! : new Float32Array(bytes.slice().buffer), written);
    read += sizes[i]!;
    written += counts[i]!;
  });
  return { data: out.buffer, specs: specs.map(({ quantization: _, ...rest }) => rest) };
}

/** The weights of an entry's files by name ("layer/kernel"), decoded on the current backend; the caller disposes them. */
export function decodeLayersWeights(entry: ModelEntry, files: ModelFiles): { topology: unknown; weights: tf.NamedTensorMap } {
  const artifacts = layersArtifacts(entry, files);
  try {
    const { data, specs } = widenFloat16Weights(artifacts.weightData!, artifacts.weightSpecs ?? []);
    return { topology: artifacts.modelTopology, weights: tf.io.decodeWeights(data, specs) };
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
