import { expect, test } from 'vitest';
import * as tf from './tf.ts';
import { selectBackend } from './select.ts';
import { buildEfficientCnn } from '../models/efficient-cnn.ts';
import { buildPaperCnn } from '../models/paper-cnn.ts';
import { buildRnn } from '../models/rnn.ts';
import { cccLoss, softCrossEntropy } from '../metrics/losses.ts';
import { createRng } from '../util/rng.ts';
import { restoreMathRandom, seedMathRandom } from '../util/seeded-random.ts';
import { describeWithTfjsNode, tfjsNodeUnavailable } from '../testing/tfjs-node.ts';

// Native TensorFlow (oneDNN) and wasm (XNNPACK) sum in different orders: float32 results agree to rounding, not
// bit for bit. The tolerances are relative to each quantity's own scale, about 10x above the largest difference
// measured on these models (2026-12-04, TF 2.21.0 vs tfjs-backend-wasm 4.22.0): a wrong kernel or gradient is off by
// far more (a relative error near 1).
const TOLERANCE = {
  /** Forward outputs (inference mode): max |native - wasm| / max |wasm|. Measured up to 2e-6. */
  forward: 2e-5,
  /** The training loss of one step: |native - wasm| / |wasm|. Measured up to 2e-7. */
  loss: 2e-5,
  /**
   * One SGD-momentum step, per tensor the step changes: max |update native - update wasm| <= update x max |update
   * wasm| + updateFloor x (the model's largest update). The floor is for tensors whose gradient is nearly 0, where
   * rounding is all there is (e.g. the efficient CNN's features bias, updates 1e-3x the others'). Measured: 4e-5
   * relative on the largest-error tensor of each model.
   */
  update: 1e-3,
  updateFloor: 1e-5,
} as const;

const quiet = { log: () => undefined };
const unavailable = await tfjsNodeUnavailable();

interface Case {
  name: string;
  build: () => tf.LayersModel;
  /** One example's input shape. */
  input: number[];
  batch: number;
}

const CASES: Case[] = [
  { name: 'efficient CNN 48x48', build: () => buildEfficientCnn({ inputSize: 48, heads: 'both' }), input: [48, 48, 1], batch: 8 },
  { name: 'paper CNN 48x48', build: () => buildPaperCnn({ inputSize: 48, heads: 'both', numClasses: 8 }), input: [48, 48, 1], batch: 8 },
  { name: 'GRU(100) x 100 frames', build: () => buildRnn({ kind: 'gru' }), input: [100, 300], batch: 4 },
];

interface Run {
  forward: Float32Array[];
  loss: number;
  before: Float32Array[];
  after: Float32Array[];
}

/** Seeded inputs and targets as plain arrays, so that both backends start from identical values. */
function dataFor(c: Case, outputs: { name: string; width: number }[]): { x: Float32Array; ys: Float32Array[] } {
  const rng = createRng(17);
  const x = Float32Array.from({ length: c.batch * c.input.reduce((a, b) => a * b, 1) }, () => rng());
  const ys = outputs.map(({ name, width }) => {
    const y = Float32Array.from({ length: c.batch * width }, () => (name === 'classes' ? rng() : 2 * rng() - 1));
    if (name === 'classes') for (let i = 0; i < c.batch; i++) normalise(y.subarray(i * width, (i + 1) * width));
    return y;
  });
  return { x, ys };
}

function normalise(row: Float32Array): void {
  const sum = row.reduce((a, b) => a + b, 0);
  row.forEach((v, i) => (row[i] = v / sum));
}

async function values(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
}

/** Forward pass, then one SGD-momentum step, on `backend`, from the weights `init` when given. */
async function stepOn(backend: 'wasm' | 'tfjs-node', c: Case, init?: Float32Array[]): Promise<Run> {
  await selectBackend(backend, quiet);
  seedMathRandom(11, 0);
  const model = c.build();
  if (init) {
    const tensors = model.getWeights().map((w, i) => tf.tensor(init[i]!, w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  const widths = model.outputs.map((o, i) => ({ name: model.outputNames[i]!, width: o.shape[1] ?? 1 }));
  const data = dataFor(c, widths);
  const x = tf.tensor(data.x, [c.batch, ...c.input]);
  const ys = data.ys.map((y, i) => tf.tensor2d(y, [c.batch, widths[i]!.width]));
  const before = await values(model.getWeights());
  const predicted = model.predict(x);
  const outs = Array.isArray(predicted) ? predicted : [predicted];
  const forward = await values(outs);
  tf.dispose(outs);
  const loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {};
  for (const name of model.outputNames) loss[name] = name === 'classes' ? (y, p) => softCrossEntropy(y, p) : cccLoss;
  const optimizer = tf.train.momentum(0.01, 0.9);
  model.compile({ optimizer, loss });
  // The same dropout masks on both backends: TF.js draws their seeds from Math.random.
  seedMathRandom(11, 1);
  const out = await model.trainOnBatch(x, ys);
  restoreMathRandom();
  const after = await values(model.getWeights());
  tf.dispose([x, ...ys]);
  optimizer.dispose();
  model.dispose();
  return { forward, loss: Array.isArray(out) ? out[0]! : out, before, after };
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** max |a - b| / max |b|: 0 when equal, about 1 when unrelated. */
function relativeDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  b.forEach((v, i) => (d = Math.max(d, Math.abs((a[i] ?? NaN) - v))));
  return d / Math.max(maxAbs(b), 1e-12);
}

function update(run: Run, i: number): Float32Array {
  return run.after[i]!.map((v, j) => v - run.before[i]![j]!);
}

describeWithTfjsNode('tfjs-node (native TensorFlow) computes what wasm computes', unavailable, () => {
  test.each(CASES)('$name: forward outputs and one SGD step', async (c) => {
    const wasm = await stepOn('wasm', c);
    const native = await stepOn('tfjs-node', c, wasm.before);
    expect(tf.getBackend()).toBe('tensorflow');
    const forward = Math.max(...native.forward.map((f, i) => relativeDiff(f, wasm.forward[i]!)));
    const loss = Math.abs(native.loss - wasm.loss) / Math.abs(wasm.loss);
    // Every tensor that the step changed (trainable weights, batch-norm moving statistics), as a share of its bound.
    const changed = wasm.after.map((_, i) => i).filter((i) => maxAbs(update(wasm, i)) > 0);
    const largest = Math.max(...changed.map((i) => maxAbs(update(wasm, i))));
    const updates = changed.map((i) => {
      const scale = maxAbs(update(wasm, i));
      const diff = relativeDiff(update(native, i), update(wasm, i)) * scale;
      return diff / (TOLERANCE.update * scale + TOLERANCE.updateFloor * largest);
    });
    console.log(
      `${c.name}: forward ${forward.toExponential(1)}, loss ${loss.toExponential(1)}, update error ${Math.max(...updates).toFixed(3)} of its bound (${updates.length} tensors)`,
    );
    expect(updates.length).toBeGreaterThan(0);
    expect(forward).toBeLessThanOrEqual(TOLERANCE.forward);
    expect(loss).toBeLessThanOrEqual(TOLERANCE.loss);
    expect(Math.max(...updates)).toBeLessThanOrEqual(1);
  });
});
