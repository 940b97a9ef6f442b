/// <reference types="node" />
/**
 * The app's loading and inference code reproduces the outputs training recorded for the exported files
 * (training/export/export.ts writes public/models/<name>/golden.json on the cpu backend).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../core/manifest.ts';
import { runWindow } from '../../core/streaming-gru.ts';
import { loadExpressionModel } from './expression-model.ts';
import { loadTemporalWeights } from './temporal-model.ts';
import { SHIPPED_MODELS, shippedEntry, shippedModelFiles } from './test-model-files.ts';

const TOLERANCE = 1e-4;

interface Golden {
  inputShape: number[];
  inputs: number[][];
  outputs: Record<string, number[][]>;
}

function goldenOf(entry: ModelEntry | undefined): Golden | undefined {
  if (!entry) return undefined;
  const file = path.join(SHIPPED_MODELS, entry.name, 'golden.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Golden) : undefined;
}

function maxDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs((a[i] ?? NaN) - b[i]!));
  return d;
}

const expression = shippedEntry('face-expression');
const temporal = shippedEntry('temporal-va');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!goldenOf(expression))(
  `expression-cnn golden outputs${goldenOf(expression) ? '' : ' (skipped: not exported yet; npm run export -- --cnn RUN)'}`,
  () => {
    it(`reproduces features, classes and va within ${TOLERANCE}`, async () => {
      const golden = goldenOf(expression)!;
      const model = await loadExpressionModel(expression!, await shippedModelFiles(expression!));
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
      const { stack } = loadTemporalWeights(temporal!, await shippedModelFiles(temporal!));
      const [frames, features] = golden.inputShape as [number, number];
      for (const [i, input] of golden.inputs.entries()) {
        const window = Array.from({ length: frames }, (_, t) => input.slice(t * features, (t + 1) * features));
        expect(maxDiff(runWindow(stack, window), golden.outputs.va![i]!)).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  },
);
