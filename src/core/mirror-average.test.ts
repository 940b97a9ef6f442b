import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mirrorImages, predictFaces } from './mirror-average.ts';

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

  test('mirrorImages flips every row of every image and rejects partial images', () => {
    const two = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(Array.from(mirrorImages(two, 3))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16]);
    expect(() => mirrorImages(new Float32Array(10), 3)).toThrow(/10 values are not whole 3x3 images/);
  });

  test('each output is the mean of the outputs on the faces and on their mirror images; no tensor leaks', () => {
    const pixels = Float32Array.from({ length: 18 }, (_, i) => Math.sin(i * 1.7));
    const x = tf.tensor4d(pixels, [2, 3, 3, 1]);
    const mirrored = tf.tensor4d(mirrorImages(pixels, 3), [2, 3, 3, 1]);
    const before = tf.memory().numTensors;
    const averaged = predictFaces(model, x, true);
    const plain = predictFaces(model, x, false);
    const flipped = predictFaces(model, mirrored, false);
    expect(averaged.map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
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
