/// <reference types="node" />
/**
 * Test helpers: a tfjs model saved the way training/export writes it (model.json + weights.bin under <name>/),
 * with a manifest entry listing both files, kept in memory; and the shipped models' files from public/models,
 * checked against their manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { parseManifest, sha256HexOf, verifyFile } from '../../core/manifest.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { parseModelJson, weightPaths } from '../models/model-artifacts.ts';

export const SHIPPED_MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/models');

/** The shipped manifest's entry for `task`; undefined without a manifest or such a model. */
export function shippedEntry(task: ModelEntry['task']): ModelEntry | undefined {
  const file = path.join(SHIPPED_MODELS, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8')).models.find((m) => m.task === task);
}

/** The entry's files (model.json and every weight file it names) from public/models, each checked against the manifest. */
export async function shippedModelFiles(entry: ModelEntry): Promise<Map<string, Uint8Array>> {
  const read = async (p: string): Promise<Uint8Array> => {
    const bytes = new Uint8Array(readFileSync(path.join(SHIPPED_MODELS, p)));
    const record = entry.files.find((f) => f.path === p);
    if (!record) throw new Error(`manifest.json does not list ${p}`);
    await verifyFile(record, bytes);
    return bytes;
  };
  const files = new Map([[entry.entry, await read(entry.entry)]]);
  for (const p of weightPaths(entry, parseModelJson(entry, files.get(entry.entry)!))) files.set(p, await read(p));
  return files;
}

/** What `model.save` hands a save handler: its topology, weight specs and weight data. */
export async function savedArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  return artifacts!;
}

export async function modelFilesOf(
  model: tf.LayersModel,
  entry: Omit<ModelEntry, 'entry' | 'files' | 'format' | 'quantization'>,
): Promise<{ entry: ModelEntry; files: Map<string, Uint8Array> }> {
  const artifacts = await savedArtifacts(model);
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!));
  const json = new TextEncoder().encode(
    JSON.stringify({
      format: 'layers-model',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }),
  );
  const files = new Map([
    [`${entry.name}/model.json`, json],
    [`${entry.name}/weights.bin`, weights],
  ]);
  const records = await Promise.all(
    [...files].map(async ([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: await sha256HexOf(bytes) })),
  );
  return { entry: { ...entry, format: 'tfjs-layers', entry: `${entry.name}/model.json`, files: records, quantization: 'float32' }, files };
}
