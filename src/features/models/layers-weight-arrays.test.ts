import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { layersArtifacts } from './model-artifacts.ts';
import { shippedEntry, shippedModelFiles } from '../inference/test-model-files.ts';
import { decodeWeightArrays } from '../../core/layers-weights.ts';
import type { WeightSpec } from '../../core/layers-weights.ts';
import { Float16ArrayStandIn } from '../../core/test-float16.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => vi.unstubAllGlobals());

/** decodeWeightArrays against tf.io.decodeWeights on the same bytes: the same names, shapes and values. */
function expectAsTfjs(data: Uint8Array, specs: WeightSpec[]): void {
  const ours = decodeWeightArrays(data, specs);
  const theirs = tf.io.decodeWeights(data.slice().buffer, specs as tf.io.WeightsManifestEntry[]);
  expect([...ours.keys()]).toEqual(Object.keys(theirs));
  for (const [name, t] of Object.entries(theirs)) {
    expect(ours.get(name)!.shape).toEqual(t.shape);
    expect(Array.from(ours.get(name)!.values)).toEqual(Array.from(t.dataSync()));
  }
  tf.dispose(Object.values(theirs));
}

describe('decodeWeightArrays', () => {
  it.each([
    ['without', undefined],
    ['with', Float16ArrayStandIn],
  ])("decodes the shipped models' weights as tfjs does, %s the platform's Float16Array", async (_, float16) => {
    if (float16) vi.stubGlobal('Float16Array', float16);
    for (const task of ['face-expression', 'temporal-va'] as const) {
      const entry = shippedEntry(task);
      if (!entry) throw new Error(`public/models has no ${task} model`);
      const artifacts = layersArtifacts(entry, await shippedModelFiles(entry));
      expectAsTfjs(new Uint8Array(artifacts.weightData as ArrayBuffer), artifacts.weightSpecs!);
    }
  });

  it('reads plain, float16 and uint8/uint16-quantized float32 weights side by side', () => {
    const bytes = new DataView(new ArrayBuffer(4 + 4 + 2 + 4));
    bytes.setFloat32(0, 1.5, true);
    bytes.setUint16(4, 0x3c00, true);
    bytes.setUint16(6, 0xc000, true);
    bytes.setUint8(8, 3);
    bytes.setUint8(9, 250);
    bytes.setUint16(10, 40000, true);
    bytes.setUint16(12, 7, true);
    const specs: WeightSpec[] = [
      { name: 'a', shape: [1], dtype: 'float32' },
      { name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'c', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } },
      { name: 'd', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 2 } },
    ];
    const data = new Uint8Array(bytes.buffer);
    expectAsTfjs(data, specs);
    expect(Array.from(decodeWeightArrays(data, specs).get('b')!.values)).toEqual([1, -2]);
  });

  it('refuses what it cannot read, naming the weight, and bytes that do not add up', () => {
    const four = new Uint8Array(4);
    expect(() => decodeWeightArrays(four, [{ name: 'i', shape: [1], dtype: 'int32' }])).toThrow(
      'weight i is int32; the app runs float32 weights only',
    );
    expect(() => decodeWeightArrays(four, [{ name: 'q', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8' } }])).toThrow(
      'weight q is quantized as uint8 without its scale and min',
    );
    expect(() => decodeWeightArrays(four, [{ name: 'w', shape: [2], dtype: 'float32' }])).toThrow(
      'the weights end after 4 bytes; weight w needs bytes 0..8',
    );
    expect(() => decodeWeightArrays(new Uint8Array(6), [{ name: 'w', shape: [1], dtype: 'float32' }])).toThrow(
      'the weights are 6 bytes; their manifest describes 4',
    );
  });
});
