/**
 * Export a trained Keras-style model to `public/models/<name>/` in TF.js layers format with optional
 * weight quantization, a manifest entry (sizes + sha256 + provenance) and a golden fixture: fixed inputs
 * and the outputs of the exported files as loaded back, which the app's tests must reproduce.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import type { ModelEntry } from '../../src/core/manifest.ts';
import { fileLoadHandler } from '../util/fs-io.ts';
import { quantizeWeights, type Quantization } from './quantize.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';

export interface GoldenSpec {
  /** Inputs without the batch dimension, flattened row-major, each of product(inputShape) values. */
  inputs: Float32Array[];
  /** Decimal places kept in the fixture. */
  precision?: number;
}

export interface ExportOptions {
  model: tf.LayersModel;
  /** Layer names whose outputs the exported model returns, in order (default: the model's outputs). */
  outputLayers?: string[];
  /** public/models (or a test folder). */
  modelsRoot: string;
  entry: Omit<ModelEntry, 'entry' | 'files' | 'format' | 'quantization'>;
  quantization: Quantization;
  golden?: GoldenSpec;
  /** Extra files (already in the model folder, e.g. metrics.json) to list in the manifest entry. */
  extraFiles?: string[];
}

export interface ExportResult {
  dir: string;
  entry: ModelEntry;
  weightBytes: number;
  goldenFile?: string;
}

async function fileEntry(modelsRoot: string, rel: string): Promise<ModelEntry['files'][number]> {
  const bytes = await readFile(path.join(modelsRoot, rel));
  return { path: rel, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The inference graph: same weights, outputs taken from the named layers (dropout is inert at inference). */
export function inferenceModel(model: tf.LayersModel, outputLayers: readonly string[] | undefined): tf.LayersModel {
  if (!outputLayers) return model;
  const outputs = outputLayers.map((n) => {
    const layer = model.getLayer(n);
    return layer.output as tf.SymbolicTensor;
  });
  return tf.model({ inputs: model.inputs, outputs, name: model.name });
}

export async function exportModel(opts: ExportOptions): Promise<ExportResult> {
  const name = opts.entry.name;
  const dir = path.join(opts.modelsRoot, name);
  await mkdir(dir, { recursive: true });
  const model = inferenceModel(opts.model, opts.outputLayers);

  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error(`export ${name}: the model produced no weights`);
  const raw = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  let offset = 0;
  const weights = artifacts.weightSpecs.map((s) => {
    if (s.dtype !== 'float32') throw new Error(`export ${name}: weight ${s.name} is ${s.dtype}, only float32 is supported`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(raw.slice(offset, offset + n * 4));
    offset += n * 4;
    return { name: s.name, shape: s.shape, values };
  });
  const q = quantizeWeights(weights, opts.quantization);
  const weightsFile = `${name}/weights.bin`;
  const modelFile = `${name}/model.json`;
  await writeFile(path.join(opts.modelsRoot, weightsFile), q.data);
  const modelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: `circumplex training/export (${opts.quantization})`,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: q.specs }],
  };
  await writeFile(path.join(opts.modelsRoot, modelFile), JSON.stringify(modelJson));

  const files = [await fileEntry(opts.modelsRoot, modelFile), await fileEntry(opts.modelsRoot, weightsFile)];
  for (const extra of opts.extraFiles ?? []) files.push(await fileEntry(opts.modelsRoot, extra));
  const entry: ModelEntry = {
    ...opts.entry,
    format: 'tfjs-layers',
    entry: modelFile,
    files,
    quantization: opts.quantization,
  };

  let goldenFile: string | undefined;
  if (opts.golden) {
    goldenFile = path.join(dir, 'golden.json');
    await writeGolden(dir, goldenFile, opts.golden, entry);
  }
  return { dir, entry, weightBytes: q.data.byteLength, goldenFile };
}

/** Runs the exported files (as the app will load them) on the golden inputs and records the outputs. */
async function writeGolden(dir: string, file: string, spec: GoldenSpec, entry: ModelEntry): Promise<void> {
  const loaded = await tf.loadLayersModel(fileLoadHandler(dir));
  const shape = entry.input.shape;
  const digits = spec.precision ?? 7;
  const round = (v: number): number => Number(v.toFixed(digits));
  const outputs: Record<string, number[][]> = {};
  for (const o of entry.outputs) outputs[o.name] = [];
  for (const input of spec.inputs) {
    const x = tf.tensor(input, [1, ...shape]);
    // The app's own call (src/core/mirror-average.ts), mirror averaging included when the entry asks for it.
    const ys = predictFaces(loaded, x as tf.Tensor4D, entry.input.mirrorAverage === true);
    ys.forEach((t, i) => {
      const o = entry.outputs[i];
      if (o) outputs[o.name]?.push(Array.from(t.dataSync(), round));
    });
    tf.dispose([x, ...ys]);
  }
  loaded.dispose();
  const golden = {
    model: entry.name,
    version: entry.version,
    quantization: entry.quantization,
    backend: tf.getBackend(),
    inputShape: shape,
    inputs: spec.inputs.map((a) => Array.from(a, (v) => Number(v.toFixed(7)))),
    outputs,
  };
  await writeFile(file, JSON.stringify(golden));
}
