import { expect, test } from 'vitest';
import * as tf from './tf.ts';
import { TFJS_NODE_KERNELS, nativeTfjsNodeKernel } from './tfjs-node-kernels.ts';
import { describeWithTfjsNode, tfjsNodeUnavailable } from '../testing/tfjs-node.ts';
import { createRng } from '../util/rng.ts';

// Selecting tfjs-node registers the replacements (selectBackend -> registerTfjsNodeKernels).
const unavailable = await tfjsNodeUnavailable();

describeWithTfjsNode("this project's kernels on tfjs-node's 'tensorflow' backend", unavailable, () => {
  test('replace tfjs-node own Step and FusedBatchNorm, which stay as fallbacks', () => {
    for (const name of TFJS_NODE_KERNELS) {
      const ours = tf.getKernel(name, 'tensorflow');
      const native = nativeTfjsNodeKernel(name as 'Step' | 'FusedBatchNorm');
      expect(native).toBeDefined();
      expect(ours?.kernelFunc).not.toBe(native?.kernelFunc);
    }
  });

  test("Step: 1 above 0, 0 at and below 0 and at -Infinity, NaN kept (ReLU's gradient); alpha falls back", () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([-2, -0, 0, 1e-30, 3, Infinity, -Infinity, NaN]);
    const y = tf.step(x);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, NaN]);
    const leaky = tf.step(x, 0.5);
    expect(Array.from(leaky.dataSync())).toEqual([0.5, 0.5, 0.5, 1, 1, 1, 0.5, NaN]);
    tf.dispose([x, y, leaky]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('FusedBatchNorm: (x - mean) / sqrt(variance + epsilon) * scale + offset, per channel, with and without scale/offset', () => {
    const rng = createRng(5);
    const [n, h, w, c] = [2, 3, 3, 4];
    const xs = Float32Array.from({ length: n * h * w * c }, () => 10 * rng() - 5);
    const [mean, variance, scale, offset] = [0, 0, 0, 0].map((_, k) =>
      Float32Array.from({ length: c }, () => (k === 1 ? 0.1 + rng() : 2 * rng() - 1)),
    );
    const eps = 1e-3;
    const expected = (withScale: boolean): number[] =>
      Array.from(xs, (v, i) => {
        const ch = i % c;
        return ((v - mean![ch]!) / Math.sqrt(variance![ch]! + eps)) * (withScale ? scale![ch]! : 1) + (withScale ? offset![ch]! : 0);
      });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor4d(xs, [n, h, w, c]);
      const [m, v, s, o] = [mean!, variance!, scale!, offset!].map((a) => tf.tensor1d(a));
      const full = Array.from(tf.batchNorm(x, m!, v!, o, s, eps).dataSync());
      const bare = Array.from(tf.batchNorm(x, m!, v!, undefined, undefined, eps).dataSync());
      full.forEach((y, i) => expect(Math.abs(y - expected(true)[i]!)).toBeLessThan(1e-5));
      bare.forEach((y, i) => expect(Math.abs(y - expected(false)[i]!)).toBeLessThan(1e-5));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
