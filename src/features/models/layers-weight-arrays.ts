/**
 * A layers model's verified files as its topology and its weights decoded to float32 arrays by name ("layer/kernel"),
 * without tfjs-core (src/core/layers-weights.ts). Errors name the file at fault.
 */
import { decodeWeightArrays } from '../../core/layers-weights.ts';
import type { WeightArray } from '../../core/layers-weights.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { layersArtifacts } from './model-artifacts.ts';
import type { ModelFiles } from './model-artifacts.ts';

export interface LayersWeightArrays {
  readonly topology: unknown;
  readonly weights: ReadonlyMap<string, WeightArray>;
}

export function decodeLayersWeightArrays(entry: ModelEntry, files: ModelFiles): LayersWeightArrays {
  const artifacts = layersArtifacts(entry, files);
  try {
    const data = new Uint8Array(artifacts.weightData as ArrayBuffer);
    return { topology: artifacts.modelTopology, weights: decodeWeightArrays(data, artifacts.weightSpecs ?? []) };
  } catch (e) {
    throw new ModelFileError(entry.entry, `its weights could not be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
}
