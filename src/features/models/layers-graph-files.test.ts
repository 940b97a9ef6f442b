import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Float16ArrayStandIn } from '../../core/test-float16.ts';
import { shippedEntry, shippedModelFiles } from '../inference/test-model-files.ts';
import { decodeLayersWeights, widenFloat16Weights } from './layers-graph-files.ts';

describe('widenFloat16Weights', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('leaves the weights to tfjs where the platform has no Float16Array', () => {
    const data = new ArrayBuffer(8);
    const specs = [{ name: 'w', shape: [4], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } }];
    expect(widenFloat16Weights(data, specs).data).toBe(data);
  });

  it("decodes the shipped models' float16 weights to the same tensors as tfjs does", async () => {
    for (const task of ['face-expression', 'temporal-va'] as const) {
      const entry = shippedEntry(task);
      if (!entry) throw new Error(`public/models has no ${task} model`);
      const files = await shippedModelFiles(entry);
      const byTfjs = decodeLayersWeights(entry, files).weights;
      vi.stubGlobal('Float16Array', Float16ArrayStandIn);
      const widened = decodeLayersWeights(entry, files).weights;
      vi.unstubAllGlobals();
      expect(Object.keys(widened)).toEqual(Object.keys(byTfjs));
      for (const [name, t] of Object.entries(byTfjs)) {
        expect(widened[name]!.shape).toEqual(t.shape);
        expect(Array.from(widened[name]!.dataSync())).toEqual(Array.from(t.dataSync()));
      }
      tf.dispose([...Object.values(byTfjs), ...Object.values(widened)]);
    }
  });

  it('widens float16 weights between plain float32 ones, and leaves other quantizations and short data to tfjs', () => {
    vi.stubGlobal('Float16Array', Float16ArrayStandIn);
    const bytes = new DataView(new ArrayBuffer(4 + 4 + 4));
    bytes.setFloat32(0, 1.5, true);
    bytes.setUint16(4, 0x3c00, true);
    bytes.setUint16(6, 0xc000, true);
    bytes.setFloat32(8, -3.25, true);
    const specs = [
      { name: 'a', shape: [1], dtype: 'float32' as const },
      { name: 'b', shape: [2], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } },
      { name: 'c', shape: [1], dtype: 'float32' as const },
    ];
    const widened = widenFloat16Weights(bytes.buffer, specs);
    expect(Array.from(new Float32Array(widened.data as ArrayBuffer))).toEqual([1.5, 1, -2, -3.25]);
    expect(widened.specs.map((s) => s.quantization)).toEqual([undefined, undefined, undefined]);
    const uint8 = [{ name: 'q', shape: [4], dtype: 'float32' as const, quantization: { dtype: 'uint8' as const, scale: 1, min: 0 } }];
    expect(widenFloat16Weights(bytes.buffer, uint8).data).toBe(bytes.buffer);
    const short = bytes.buffer.slice(0, 10);
    expect(widenFloat16Weights(short, specs).data).toBe(short);
  });
});
