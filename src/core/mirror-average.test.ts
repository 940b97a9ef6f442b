import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { predictFaces } from './mirror-average.ts';

/** The left-right mirror of row-major size x size images, back to back: the reference the test compares with. */
function mirrorImages(pixels: Float32Array, size: number): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let row = 0; row < pixels.length; row += size) {
    for (let x = 0; x < size; x++) out[row + x] = pixels[row + size - 1 - x]!;
  }
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('test-time mirroring', () => {
  // A tiny two-output model that is NOT mirror-symmetric: a dense layer over the flattened image.
  const input = tf.input({ shape: [3, 3, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 2, name: 'a', kernelInitializer: 'glorotUniform' }).apply(flat) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 1, name: 'b', activation: 'sigmoid' }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: [a, b] });
  afterAll(() => model.dispose());

  test('each output is the mean of the outputs on the faces and on their mirror images; no tensor leaks', () => {
    const pixels = Float32Array.from({ length: 18 }, (_, i) => Math.sin(i * 1.7));
    const x = tf.tensor4d(pixels, [2, 3, 3, 1]);
    const mirrored = tf.tensor4d(mirrorImages(pixels, 3), [2, 3, 3, 1]);
    const before = tf.memory().numTensors;
    const averaged = predictFaces(model, x, true);
    const plain = predictFaces(model, x, false);
    const flipped = predictFaces(model, mirrored, false);
    expect(averaged.map((t) => t.shape)).toEqual([
      [2, 2],
      [2, 1],
    ]);
    averaged.forEach((t, k) => {
      const want = Array.from(plain[k]!.dataSync()).map((v, i) => (v + flipped[k]!.dataSync()[i]!) / 2);
      Array.from(t.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
      // The model is not symmetric, so averaging changes the answer.
      expect(Math.max(...Array.from(t.dataSync()).map((v, i) => Math.abs(v - plain[k]!.dataSync()[i]!)))).toBeGreaterThan(1e-3);
    });
    tf.dispose([...averaged, ...plain, ...flipped]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, mirrored]);
  });
});
