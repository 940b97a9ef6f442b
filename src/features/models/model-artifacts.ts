/**
 * TF.js layers models built from bytes already fetched and verified against the manifest, so nothing is
 * downloaded twice and nothing unverified reaches tfjs. Pure (no fetch, no DOM): the worker and the Node
 * golden tests use the same code.
 */
import type { io } from '@tensorflow/tfjs-core';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';

/** A layers model's files: paths relative to public/models, as listed in the manifest. */
export type ModelFiles = ReadonlyMap<string, Uint8Array>;

interface ModelJson {
  readonly modelTopology: object;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: io.WeightsManifestEntry[] }[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i + 1);
}

/** Parses an entry's model.json; errors name the file. */
export function parseModelJson(entry: ModelEntry, bytes: Uint8Array): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelFileError(entry.entry, `is not valid JSON (${(e as Error).message})`);
  }
  const j = json as Partial<ModelJson>;
  if (typeof j.modelTopology !== 'object' || j.modelTopology === null)
    throw new ModelFileError(entry.entry, 'has no modelTopology', 'modelTopology');
  if (!Array.isArray(j.weightsManifest)) throw new ModelFileError(entry.entry, 'has no weightsManifest', 'weightsManifest');
  return j as ModelJson;
}

/** Paths (relative to public/models) of the weight files that model.json names, in order. */
export function weightPaths(entry: ModelEntry, modelJson: ModelJson): string[] {
  const dir = dirOf(entry.entry);
  return modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => `${dir}${p}`));
}

/** Model artifacts for tf.io.fromMemory from the verified files (entry + every weight file). */
export function layersArtifacts(entry: ModelEntry, files: ModelFiles): io.ModelArtifacts {
  const jsonBytes = files.get(entry.entry);
  if (!jsonBytes) throw new ModelFileError(entry.entry, 'is missing');
  const json = parseModelJson(entry, jsonBytes);
  const parts = weightPaths(entry, json).map((p) => {
    const b = files.get(p);
    if (!b) throw new ModelFileError(p, `is missing (named by ${entry.entry})`);
    return b;
  });
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const b of parts) {
    joined.set(b, offset);
    offset += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: joined.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
  };
}
