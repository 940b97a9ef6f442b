/**
 * TF.js model save/load to plain files, without tfjs-node's file:// handler (absent on the wasm and cpu
 * backends): `model.json` (topology + weights manifest) and one `weights.bin`.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';

type IOHandler = tf.io.IOHandler;
type ModelArtifacts = tf.io.ModelArtifacts;

export function fileSaveHandler(dir: string): IOHandler {
  return tf.io.withSaveHandler(async (artifacts: ModelArtifacts) => {
    await mkdir(dir, { recursive: true });
    const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
    const modelJson = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    await writeFile(path.join(dir, 'weights.bin'), new Uint8Array(weights));
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/**
 * Loads a layers or graph model from `dir/entry` and the weight files its manifest names; `entry` is
 * `model.json` for models written here, another name for third-party models (e.g. Human's `emotion.json`).
 */
export function fileLoadHandler(dir: string, entry = 'model.json'): IOHandler {
  return {
    load: async (): Promise<ModelArtifacts> => {
      const file = path.join(dir, entry);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await readFile(file, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${file}: cannot read model (${(e as Error).message})`, { cause: e });
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(await readFile(path.join(dir, p)));
      }
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const joined = new Uint8Array(total);
      let offset = 0;
      for (const b of buffers) {
        joined.set(b, offset);
        offset += b.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: joined.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
      };
    },
  };
}

/** Writes a folder atomically: build it beside the target, then swap it in. */
export async function replaceDir(target: string, build: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await build(tmp);
  await rm(old, { recursive: true, force: true });
  await rename(target, old).catch(() => undefined);
  await rename(tmp, target);
  await rm(old, { recursive: true, force: true });
}
