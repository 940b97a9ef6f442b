/// <reference types="node" />
/**
 * The app's loading and inference code reproduces the outputs training recorded for the exported files
 * (training/export/export.ts writes public/models/<name>/golden.json on the cpu backend).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, verifyFile } from '../../core/manifest.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { runWindow } from '../../core/streaming-gru.ts';
import { parseModelJson, weightPaths } from '../models/model-artifacts.ts';
import { loadExpressionModel } from './expression-model.ts';
import { loadTemporalWeights } from './temporal-model.ts';

const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/models');
const TOLERANCE = 1e-4;

interface Golden {
  inputShape: number[];
  inputs: number[][];
  outputs: Record<string, number[][]>;
}

function entryFor(task: ModelEntry['task']): ModelEntry | undefined {
  const file = path.join(MODELS, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8')).models.find((m) => m.task === task);
}

async function filesOf(entry: ModelEntry): Promise<Map<string, Uint8Array>> {
  const read = async (p: string): Promise<Uint8Array> => {
    const bytes = new Uint8Array(readFileSync(path.join(MODELS, p)));
    const record = entry.files.find((f) => f.path === p);
    if (!record) throw new Error(`manifest.json does not list ${p}`);
    await verifyFile(record, bytes);
    return bytes;
  };
  const files = new Map([[entry.entry, await read(entry.entry)]]);
  for (const p of weightPaths(entry, parseModelJson(entry, files.get(entry.entry)!))) files.set(p, await read(p));
  return files;
}

function goldenOf(entry: ModelEntry | undefined): Golden | undefined {
  if (!entry) return undefined;
  const file = path.join(MODELS, entry.name, 'golden.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Golden) : undefined;
}

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs((a[i] ?? NaN) - b[i]!));
  return d;
}

const expression = entryFor('face-expression');
const temporal = entryFor('temporal-va');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!goldenOf(expression))(
  `expression-cnn golden outputs${goldenOf(expression) ? '' : ' (skipped: not exported yet; npm run export -- --cnn RUN)'}`,
  () => {
    it(`reproduces features, classes and va within ${TOLERANCE}`, async () => {
      const golden = goldenOf(expression)!;
      const model = await loadExpressionModel(expression!, await filesOf(expression!));
      const before = tf.memory().numTensors;
      for (const [i, input] of golden.inputs.entries()) {
        const out = await model.predict(Float32Array.from(input));
        expect(maxDiff(out.features, golden.outputs.features![i]!)).toBeLessThanOrEqual(TOLERANCE);
        expect(maxDiff(out.probs, golden.outputs.classes![i]!)).toBeLessThanOrEqual(TOLERANCE);
        if (golden.outputs.va) expect(maxDiff([out.va.valence, out.va.arousal], golden.outputs.va[i]!)).toBeLessThanOrEqual(TOLERANCE);
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  },
);

describe.skipIf(!goldenOf(temporal))(
  `temporal-gru golden outputs${goldenOf(temporal) ? '' : ' (skipped: not exported yet; npm run export -- --rnn RUN)'}`,
  () => {
    it(`the streaming GRU's window output reproduces va within ${TOLERANCE}`, async () => {
      const golden = goldenOf(temporal)!;
      const { stack } = await loadTemporalWeights(temporal!, await filesOf(temporal!));
      const [frames, features] = golden.inputShape as [number, number];
      for (const [i, input] of golden.inputs.entries()) {
        const window = Array.from({ length: frames }, (_, t) => input.slice(t * features, (t + 1) * features));
        expect(maxDiff(runWindow(stack, window), golden.outputs.va![i]!)).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  },
);
