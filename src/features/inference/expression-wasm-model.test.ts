/// <reference types="node" />
/**
 * The expression CNN on the direct wasm kernels against the same model on TF.js's wasm backend (expression-model.ts,
 * the same binary): equal outputs on real faces, mirror averaging included; and against the outputs training recorded
 * (golden.json) within golden.test.ts's tolerance.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import { preprocessFace } from '../../core/preprocess.ts';
import { startWasmKernels } from '../../core/wasm-kernel-calls.ts';
import type { WasmKernels } from '../../core/wasm-kernel-calls.ts';
import { loadExpressionModel } from './expression-model.ts';
import { loadWasmExpressionModel, meanOfHalves, mirroredBatch } from './expression-wasm-model.ts';
import { modelFilesOf, SHIPPED_MODELS, shippedEntry, shippedModelFiles } from './test-model-files.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WASM_OUT = path.join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out');
const FER_TEST = path.resolve(REPO, '../shared/datasets/ferplus/data/FER2013Test');

let kernels: WasmKernels;

beforeAll(async () => {
  // In Node the binary is read from disk: the prefix is a file path.
  setWasmPaths(`${WASM_OUT}/`);
  kernels = await startWasmKernels(path.join(WASM_OUT, 'tfjs-backend-wasm-simd.wasm'));
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('mirroredBatch and meanOfHalves', () => {
  it('put the mirror image second and average the halves in float32', () => {
    const face = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(mirroredBatch(face, 2, 3, new Float32Array(12)))).toEqual([1, 2, 3, 4, 5, 6, 3, 2, 1, 6, 5, 4]);
    const halves = Float32Array.from([0.1, 1e8, 0.2, 1]);
    expect(Array.from(meanOfHalves(halves))).toEqual([Math.fround(Math.fround(0.1 + 0.2) * 0.5), Math.fround(5e7 + 0.5)]);
  });
});

describe.skipIf(!existsSync(FER_TEST))(
  `the shipped expression model on the direct wasm kernels${existsSync(FER_TEST) ? '' : ` (skipped: needs ../shared beside the checkout: ${FER_TEST} not found)`}`,
  () => {
    it('gives the outputs TF.js gives on its wasm backend on 40 real faces, and golden.json within 1e-4', async () => {
      const entry = shippedEntry('face-expression')!;
      const files = await shippedModelFiles(entry);
      const { shape, normalisation } = entry.input;
      const faces = readdirSync(FER_TEST)
        .filter((f) => f.endsWith('.png'))
        .slice(0, 40)
        .map((file) => {
          const png = PNG.sync.read(readFileSync(path.join(FER_TEST, file)));
          return preprocessFace(
            { data: png.data, width: png.width, height: png.height, channels: 4 },
            { size: shape[0]!, margin: 0, normalisation },
          );
        });
      const golden = JSON.parse(readFileSync(path.join(SHIPPED_MODELS, entry.name, 'golden.json'), 'utf8')) as {
        inputs: number[][];
        outputs: Record<string, number[][]>;
      };
      const inputs = [...faces, ...golden.inputs.map((x) => Float32Array.from(x))];

      expect(await tf.setBackend('wasm')).toBe(true);
      const reference = await loadExpressionModel(entry, files);
      const expected = [];
      for (const x of inputs) expected.push(await reference.predict(x));
      reference.dispose();
      await tf.setBackend('cpu');

      expect(entry.input.mirrorAverage).toBe(true);
      const allocationsBefore = kernels.allocations();
      const model = loadWasmExpressionModel(entry, files, kernels);
      for (const [i, x] of inputs.entries()) {
        const out = await model.predict(x);
        expect(out.features).toEqual(expected[i]!.features);
        expect(out.probs).toEqual(expected[i]!.probs);
        expect(out.va).toEqual(expected[i]!.va);
      }
      for (const [i, x] of golden.inputs.entries()) {
        const out = await model.predict(Float32Array.from(x));
        expect(maxAbsDiff(out.features, golden.outputs.features![i]!)).toBeLessThanOrEqual(1e-4);
        expect(maxAbsDiff(out.probs, golden.outputs.classes![i]!)).toBeLessThanOrEqual(1e-4);
        expect(maxAbsDiff([out.va.valence, out.va.arousal], golden.outputs.va![i]!)).toBeLessThanOrEqual(1e-4);
      }
      await expect(model.predict(new Float32Array(10))).rejects.toThrow('a face of 10 values, expected 48 x 48');
      model.dispose();
      expect(kernels.allocations()).toBe(allocationsBefore);
    }, 60_000);
  },
);

describe('loadWasmExpressionModel', () => {
  it('names the file when the model has a layer it cannot run, and keeps nothing allocated', async () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const normed = tf.layers.layerNormalization().apply(flat) as tf.SymbolicTensor;
    const features = tf.layers.dense({ units: 3, name: 'features' }).apply(normed) as tf.SymbolicTensor;
    const classes = tf.layers
      .dense({ units: EMOTIONS.length, activation: 'softmax', name: 'classes' })
      .apply(features) as tf.SymbolicTensor;
    const source = tf.model({ inputs: input, outputs: [features, classes] });
    const { entry, files } = await modelFilesOf(source, {
      name: 'expression-cnn',
      version: 'test',
      task: 'face-expression',
      input: { shape: [4, 4, 1], channelOrder: 'gray', normalisation: { scale: 1 / 255, offset: 0 }, cropMargin: 0.1, cropShiftY: 0 },
      outputs: [
        { name: 'features', size: 3, meaning: 'features' },
        { name: 'classes', size: EMOTIONS.length, meaning: 'softmax over labels', labels: [...EMOTIONS] },
      ],
      provenance: { data: 'test', licence: 'test' },
    });
    source.dispose();
    const allocationsBefore = kernels.allocations();
    const load = () => loadWasmExpressionModel(entry, files, kernels);
    for (let i = 0; i < 20; i++) expect(load).toThrow(ModelFileError);
    expect(load).toThrow(/expression-cnn\/model\.json.*is a LayerNormalization, which the app cannot run/);
    expect(kernels.allocations()).toBe(allocationsBefore);
  });
});
