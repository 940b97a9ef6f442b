import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as tf from './tf.ts';
import { selectBackend } from './select.ts';

// Without a GPU, Debian's chromium package ships SwiftShader as a Vulkan driver; pointing the Vulkan loader at it
// gives Dawn a software adapter: far too slow to train on, enough to check that webgpu computes what cpu does.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

const quiet = { log: () => {} };
const webgpu = await selectBackend('webgpu', quiet).then(
  () => '',
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
if (webgpu !== '') console.warn(`webgpu parity tests skipped: ${webgpu}`);

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

type Computation = () => tf.Tensor[];

async function onBackend(name: 'cpu' | 'webgpu', compute: Computation): Promise<Float32Array[]> {
  await selectBackend(name, quiet);
  const outputs = compute();
  const values = await Promise.all(outputs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outputs);
  return values;
}

async function maxDiffAgainstCpu(compute: Computation): Promise<number> {
  const cpu = await onBackend('cpu', compute);
  const gpu = await onBackend('webgpu', compute);
  let max = 0;
  cpu.forEach((values, i) => values.forEach((v, j) => (max = Math.max(max, Math.abs(v - (gpu[i]?.[j] ?? NaN))))));
  return max;
}

describe.skipIf(webgpu !== '')('webgpu (Dawn in Node) computes what cpu computes', () => {
  test('conv2d 5x5 same, its input and filter gradients, max pooling', async () => {
    // Inputs are made on cpu and read back as plain arrays, so both backends start from identical values.
    await selectBackend('cpu', quiet);
    const xv = seeded([2, 12, 12, 3], 1).arraySync() as number[][][][];
    const wv = seeded([5, 5, 3, 4], 2).arraySync() as number[][][][];
    const diff = await maxDiffAgainstCpu(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv);
        const w = tf.tensor4d(wv);
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), 2, 2, 'valid'));
        const y = tf.conv2d(x, w, 1, 'same');
        const [dx, dw] = tf.grads(f)([x, w]);
        return [y, dx!, dw!];
      }),
    );
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  test('a GRU training step (SGD momentum) gives the same loss and weights', async () => {
    await selectBackend('cpu', quiet);
    const xv = seeded([4, 6, 5], 3).arraySync() as number[][][];
    const yv = seeded([4, 2], 4).arraySync() as number[][];
    const make = () => {
      const model = tf.sequential();
      // Seeded initialisers: the same starting weights on both backends.
      model.add(
        tf.layers.gru({
          units: 6,
          inputShape: [6, 5],
          recurrentActivation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
          recurrentInitializer: tf.initializers.glorotUniform({ seed: 6 }),
        }),
      );
      model.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }));
      model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'meanSquaredError' });
      return model;
    };
    const step = async (name: 'cpu' | 'webgpu') => {
      await selectBackend(name, quiet);
      const model = make();
      const [x, y] = [tf.tensor3d(xv), tf.tensor2d(yv)];
      const loss = Number(await model.trainOnBatch(x, y));
      const weights = await Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
      tf.dispose([x, y]);
      model.dispose();
      return { loss, weights };
    };
    const cpu = await step('cpu');
    const gpu = await step('webgpu');
    expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThanOrEqual(1e-5);
    cpu.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - (gpu.weights[i]?.[j] ?? NaN))).toBeLessThanOrEqual(1e-5)));
  });
});
