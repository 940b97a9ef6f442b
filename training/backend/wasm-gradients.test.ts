import { describe, expect, test, beforeAll } from 'vitest';
import * as tf from './tf.ts';
import { selectBackend } from './select.ts';
import { WASM_TRAINING_KERNELS } from './wasm-gradients.ts';
import { restoreMathRandom, seedMathRandom } from '../util/seeded-random.ts';

const quiet = { log: () => {} };

/** mulberry32: the same pseudo-random inputs on every run and for both backends. */
function randomValues(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

type Shape4 = [number, number, number, number];
type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

/** Runs one kernel by name on a backend, the way gradient functions call it, and reads the result back. */
async function runOn(backend: 'cpu' | 'wasm', kernel: string, inputs: Inputs, attrs: tf.NamedAttrMap) {
  await selectBackend(backend, quiet);
  return tf.tidy(() => {
    const tensors: tf.NamedTensorMap = {};
    for (const [name, { shape, values }] of Object.entries(inputs)) tensors[name] = tf.tensor(values, shape);
    const out = tf.engine().runKernel(kernel, tensors, attrs) as tf.Tensor;
    return { shape: out.shape, values: Float32Array.from(out.dataSync()) };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

async function expectParity(kernel: string, inputs: Inputs, attrs: tf.NamedAttrMap, tolerance = 1e-5) {
  const cpu = await runOn('cpu', kernel, inputs, attrs);
  const wasm = await runOn('wasm', kernel, inputs, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThanOrEqual(tolerance);
}

function random(shape: number[], seed: number) {
  return {
    shape,
    values: randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

type Pad = 'same' | 'valid' | number;
type ConvCase = [x: Shape4, filter: Shape4, strides: number | [number, number], pad: Pad];

// Shapes of the project's models (5x5 'same' on the input, 5x5 'valid', 3x3) scaled down so that float32 sums
// stay within 1e-5 of each other, plus odd sizes, uneven strides and explicit padding.
const CONV_CASES: ConvCase[] = [
  [[2, 12, 12, 1], [5, 5, 1, 4], 1, 'same'],
  [[2, 10, 10, 4], [5, 5, 4, 6], 1, 'valid'],
  [[2, 8, 8, 6], [3, 3, 6, 5], 1, 'same'],
  [[2, 9, 11, 3], [3, 2, 3, 5], 2, 'same'],
  [[2, 9, 11, 3], [3, 3, 3, 5], 2, 'valid'],
  [[2, 10, 10, 3], [4, 4, 3, 5], 3, 'valid'],
  [[2, 10, 9, 3], [4, 3, 3, 5], [3, 2], 'same'],
  [[2, 7, 7, 2], [3, 3, 2, 4], 2, 1],
];

function convInfo([x, filter, strides, pad]: ConvCase) {
  return tf.backend_util.computeConv2DInfo(x, filter, strides, 1, pad);
}

type PoolCase = [x: Shape4, filterSize: number | [number, number], strides: number | [number, number], pad: Pad];

// 2x2 stride 2 (maxPooling2d), 9x9 stride 9 ("quadrant pooling" on an 18x18 map), overlapping and padded windows.
const POOL_CASES: PoolCase[] = [
  [[2, 8, 8, 3], 2, 2, 'valid'],
  [[2, 9, 9, 3], 2, 2, 'valid'],
  [[2, 9, 11, 3], 2, 2, 'same'],
  [[2, 18, 18, 4], 9, 9, 'valid'],
  [[2, 9, 11, 3], 3, 2, 'same'],
  [[2, 9, 11, 3], 3, 2, 'valid'],
  [[2, 10, 10, 3], [3, 2], [1, 2], 'same'],
  [[2, 7, 7, 2], 3, 3, 1],
];

function poolOutShape([x, filterSize, strides, pad]: PoolCase): number[] {
  return tf.backend_util.computePool2DInfo(x, filterSize, strides, 1, pad).outShape;
}

describe('wasm training kernels match the cpu backend (max abs diff <= 1e-5)', () => {
  beforeAll(async () => {
    await selectBackend('wasm', quiet);
  });

  test('the kernels this module provides are registered for wasm', () => {
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', 'Tile']) {
      expect(WASM_TRAINING_KERNELS).toContain(name);
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
  });

  test.each(CONV_CASES)('Conv2DBackpropFilter x %j filter %j strides %j pad %j', async (...c) => {
    const [x, filter, strides, pad] = c;
    const inputs = { x: random(x, 1), dy: random(convInfo(c).outShape, 2) };
    await expectParity('Conv2DBackpropFilter', inputs, { strides, pad, dataFormat: 'NHWC', filterShape: filter });
  });

  test.each(CONV_CASES)('Conv2DBackpropInput x %j filter %j strides %j pad %j', async (...c) => {
    const [x, filter, strides, pad] = c;
    const inputs = { dy: random(convInfo(c).outShape, 3), filter: random(filter, 4) };
    await expectParity('Conv2DBackpropInput', inputs, { strides, pad, dataFormat: 'NHWC', inputShape: x });
  });

  test.each(POOL_CASES)('MaxPoolGrad x %j window %j strides %j pad %j', async (...c) => {
    const [x, filterSize, strides, pad] = c;
    const input = random(x, 5);
    // The forward output is an input of the kernel; compute it where the comparison is made.
    await selectBackend('cpu', quiet);
    const output = tf.tidy(() => {
      const y = tf.maxPool(tf.tensor4d(input.values, x), filterSize, strides, pad);
      return { shape: y.shape, values: Float32Array.from(y.dataSync()) };
    });
    const inputs = { dy: random(poolOutShape(c), 6), input, output };
    await expectParity('MaxPoolGrad', inputs, { filterSize, strides, pad });
  });

  test.each(POOL_CASES)('AvgPoolGrad (wasm native) x %j window %j strides %j pad %j', async (...c) => {
    const [x, filterSize, strides, pad] = c;
    const inputs = { dy: random(poolOutShape(c), 7), input: random(x, 8) };
    await expectParity('AvgPoolGrad', inputs, { filterSize, strides, pad });
  });

  test.each([
    [
      [3, 4],
      [2, 3],
    ],
    [
      [2, 1, 3],
      [1, 4, 1],
    ],
    [[5], [3]],
    [
      [2, 3, 4, 2],
      [2, 1, 1, 3],
    ],
  ] as [number[], number[]][])('Tile x %j reps %j', async (shape, reps) => {
    await expectParity('Tile', { x: random(shape, 13) }, { reps }, 0);
  });

  // Every matMul gradient transposes an operand; wasm's own transposed path is a scalar loop (see the kernel).
  test.each([
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[2, 6, 4], [2, 6, 3], true, false],
    [[2, 4, 6], [2, 3, 6], false, true],
  ] as [number[], number[], boolean, boolean][])(
    'BatchMatMul a %j b %j transposeA %j transposeB %j',
    async (a, b, transposeA, transposeB) => {
      const batched = a.length === 3;
      const inputs = { a: random(batched ? a : [1, ...a], 11), b: random(batched ? b : [1, ...b], 12) };
      await expectParity('BatchMatMul', inputs, { transposeA, transposeB });
    },
  );

  test('training-size shapes agree to float32 rounding (1e-5 of the largest value)', async () => {
    const c: ConvCase = [[4, 24, 24, 16], [5, 5, 16, 24], 1, 'valid'];
    const x = random(c[0], 9);
    const dy = random(convInfo(c).outShape, 10);
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: c[1] };
    const cpu = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
    const wasm = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
    const scale = Math.max(...cpu.values.map(Math.abs));
    expect(maxAbsDiff(wasm.values, cpu.values)).toBeLessThanOrEqual(1e-5 * scale);
  });

  test('kernels leave no tensors behind and leave their inputs alive', async () => {
    await selectBackend('wasm', quiet);
    const x = tf.tensor4d(randomValues(2 * 9 * 11 * 3, 11), [2, 9, 11, 3]);
    const before = tf.memory().numTensors;
    const grads = tf.grads((input: tf.Tensor) => {
      const conv = tf.conv2d(input as tf.Tensor4D, tf.ones([3, 3, 3, 4]) as tf.Tensor4D, 2, 'same');
      return tf.sum(tf.maxPool(conv, 3, 2, 'same'));
    })([x]);
    expect(tf.memory().numTensors).toBe(before + grads.length);
    expect(x.dataSync()).toEqual(randomValues(2 * 9 * 11 * 3, 11));
    tf.dispose([...grads, x]);
  });
});

type ModelFactory = () => tf.LayersModel;

function convNet(): tf.LayersModel {
  // The paper CNN's layer kinds at toy size. No dropout: its random mask cannot be the same on two backends.
  const model = tf.sequential();
  model.add(tf.layers.batchNormalization({ inputShape: [40, 40, 1] }));
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 5, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 5, padding: 'valid', activation: 'relu' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }));
  model.add(tf.layers.averagePooling2d({ poolSize: 9, strides: 9 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 8, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
  return model;
}

function recurrentNet(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.gru({ units: 8, inputShape: [10, 5], recurrentActivation: 'sigmoid', returnSequences: true }));
  model.add(tf.layers.gru({ units: 6, recurrentActivation: 'hardSigmoid', returnSequences: true }));
  model.add(tf.layers.simpleRNN({ units: 4 }));
  model.add(tf.layers.dense({ units: 2 }));
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'meanSquaredError' });
  return model;
}

interface StepResult {
  losses: number[];
  weights: Float32Array[];
}

/** Builds the model on a backend from given initial weights and takes two SGD-momentum steps. */
async function trainTwoSteps(
  backend: 'cpu' | 'wasm',
  factory: ModelFactory,
  initial: Float32Array[],
  x: { shape: number[]; values: Float32Array },
  y: { shape: number[]; values: Float32Array },
): Promise<StepResult> {
  await selectBackend(backend, quiet);
  const model = factory();
  const start = model.getWeights().map((w, i) => tf.tensor(initial[i] ?? new Float32Array(), w.shape));
  model.setWeights(start);
  tf.dispose(start);
  const xs = tf.tensor(x.values, x.shape);
  const ys = tf.tensor(y.values, y.shape);
  const losses: number[] = [];
  for (let step = 0; step < 2; step++) losses.push(Number(await model.trainOnBatch(xs, ys)));
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses, weights };
}

describe('one training step gives the same loss and weights on wasm as on cpu', () => {
  const cases: [string, ModelFactory, number[], { shape: number[]; values: Float32Array }][] = [
    [
      'conv net (BatchNorm, 5x5 same/valid, 3x3, max and 9x9 average pooling)',
      convNet,
      [4, 40, 40, 1],
      {
        shape: [4, 8],
        values: Float32Array.from({ length: 32 }, (_, i) => (i % 8 === (i >> 3) * 2 ? 1 : 0)),
      },
    ],
    ['GRU (sigmoid), GRU (hardSigmoid), SimpleRNN', recurrentNet, [4, 10, 5], random([4, 2], 21)],
  ];

  test.each(cases)('%s', async (_name, factory, inputShape, y) => {
    await selectBackend('cpu', quiet);
    // Seeded initial weights (tfjs draws initialiser seeds from Math.random): the same two steps on every run,
    // so the comparison does not depend on which weights a run happens to draw.
    seedMathRandom(7, 0);
    const template = factory();
    restoreMathRandom();
    const initial = template.getWeights().map((w) => Float32Array.from(w.dataSync()));
    template.dispose();
    const x = random(inputShape, 20);
    const cpu = await trainTwoSteps('cpu', factory, initial, x, y);
    const wasm = await trainTwoSteps('wasm', factory, initial, x, y);
    expect(cpu.losses.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 2; i++) expect(Math.abs((wasm.losses[i] ?? NaN) - (cpu.losses[i] ?? NaN))).toBeLessThan(1e-5);
    // The weights did move, and moved the same way on both backends.
    const moved = cpu.weights.some((w, i) => maxAbsDiff(w, initial[i] ?? new Float32Array()) > 1e-4);
    expect(moved).toBe(true);
    for (let i = 0; i < cpu.weights.length; i++) {
      expect(maxAbsDiff(wasm.weights[i] ?? new Float32Array(), cpu.weights[i] ?? new Float32Array())).toBeLessThan(1e-5);
    }
  });
});
