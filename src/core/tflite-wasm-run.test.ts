import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTfliteGraph } from './tflite-graph.ts';
import { createTfliteModel } from './tflite-run.ts';
import { createTfliteWasmModel } from './tflite-wasm-run.ts';
import { samePadding, startWasmKernels } from './wasm-kernel-calls.ts';
import type { WasmKernels } from './wasm-kernel-calls.ts';

const ROOT = path.join(import.meta.dirname, '../..');
const graph = readTfliteGraph(new Uint8Array(readFileSync(path.join(ROOT, 'public/models/face_detector.tflite'))));
const WASM_OUT = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out');

/** Deterministic values in [-1, 1). */
function pseudoRandom(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('samePadding', () => {
  it("is TensorFlow's SAME padding", () => {
    expect(samePadding(128, 5, 2)).toEqual([1, 2]);
    expect(samePadding(64, 3, 1)).toEqual([1, 1]);
    expect(samePadding(64, 2, 2)).toEqual([0, 0]);
    expect(samePadding(7, 3, 2)).toEqual([1, 1]);
  });
});

describe.each(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'])('createTfliteWasmModel on %s', (binary) => {
  let kernels: WasmKernels;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    kernels = await startWasmKernels(path.join(WASM_OUT, binary));
  });

  it("gives the face detector's outputs as TF.js does, run after run, and frees what each run allocated", () => {
    const reference = createTfliteModel(graph);
    const model = createTfliteWasmModel(graph, kernels);
    expect(model.inputShape).toEqual([1, 128, 128, 3]);
    for (const seed of [1, 2, 3]) {
      const input = pseudoRandom(128 * 128 * 3, seed);
      const expected = tf.tidy(() => reference.run(tf.tensor4d(input, [1, 128, 128, 3])).map((t) => t.dataSync() as Float32Array));
      const outputs = model.run(input);
      expect(outputs.map((o) => o.length)).toEqual([896 * 16, 896]);
      outputs.forEach((o, i) => expect(maxAbsDiff(o, expected[i]!)).toBeLessThan(1e-3));
    }
    // A run frees everything it allocated: the same input gives the same outputs in the same memory.
    const input = pseudoRandom(128 * 128 * 3, 9);
    const first = model.run(input);
    const heapBefore = kernels.heap().length;
    for (let i = 0; i < 5; i++) model.run(input);
    expect(kernels.heap().length).toBe(heapBefore);
    model.run(input).forEach((o, i) => expect(o).toEqual(first[i]));
    model.dispose();
    reference.dispose();
    expect(() => model.run(input)).toThrow('disposed');
  });

  it('refuses an input of the wrong size', () => {
    const model = createTfliteWasmModel(graph, kernels);
    expect(() => model.run(new Float32Array(10))).toThrow('input of 10 values, expected 49152');
    model.dispose();
  });
});

describe('startWasmKernels', () => {
  it('rejects a binary that is not there', async () => {
    await expect(startWasmKernels(path.join(WASM_OUT, 'missing.wasm'))).rejects.toThrow();
  });
});
