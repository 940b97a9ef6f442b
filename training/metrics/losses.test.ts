import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { createRng } from '../util/rng.ts';
import { cccLoss, mseLoss, multiTaskLoss, softCrossEntropy } from './losses.ts';
import { ccc } from './regression.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0] ?? NaN;
  t.dispose();
  return v;
};

describe('losses', () => {
  test('CCC loss equals 1 - mean of the plain whole-set CCC of each column', () => {
    const rng = createRng(4);
    const n = 50;
    const yt = Array.from({ length: n }, () => [rng() * 2 - 1, rng() * 2 - 1]);
    const yp = yt.map(([v, a]) => [0.6 * (v ?? 0) + 0.3 * (rng() - 0.5) + 0.1, 0.2 * (a ?? 0) + 0.5 * (rng() - 0.5)]);
    const expected =
      1 -
      (ccc(
        yt.map((r) => r[0] ?? 0),
        yp.map((r) => r[0] ?? 0),
      ) +
        ccc(
          yt.map((r) => r[1] ?? 0),
          yp.map((r) => r[1] ?? 0),
        )) /
        2;
    const before = tf.memory().numTensors;
    const [t, p] = [tf.tensor2d(yt), tf.tensor2d(yp)];
    expect(value(cccLoss(t, p))).toBeCloseTo(expected, 5);
    // Perfect agreement -> 0; exact mirror of zero-mean targets -> CCC -1 -> loss 2.
    expect(value(cccLoss(t, t))).toBeCloseTo(0, 5);
    expect(
      value(
        tf.tidy(() => {
          const centred = tf.sub(t, tf.mean(t, 0));
          return cccLoss(centred, tf.neg(centred));
        }),
      ),
    ).toBeCloseTo(2, 5);
    tf.dispose([t, p]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('CCC loss is finite for a constant batch and has gradients', () => {
    const c = tf.fill([4, 2], 0.5);
    expect(Number.isFinite(value(cccLoss(c, c)))).toBe(true);
    const yt = tf.tensor2d([
      [0.1, 0.2],
      [0.5, -0.3],
      [-0.4, 0.9],
    ]);
    const yp = tf.tensor2d([
      [0, 0],
      [0.2, 0.1],
      [-0.1, 0.3],
    ]);
    const g = tf.grad((p: tf.Tensor) => cccLoss(yt, p))(yp);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([c, yt, yp, g]);
  });

  test('MSE by hand: differences 1, 0, -2, 1 -> (1 + 0 + 4 + 1) / 4 = 1.5', () => {
    const [a, b] = [
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [0, 2],
        [5, 3],
      ]),
    ];
    expect(value(mseLoss(a, b))).toBeCloseTo(1.5, 6);
    tf.dispose([a, b]);
  });

  test('cross-entropy with hard and soft targets, from probabilities or logits', () => {
    // Row 1: one-hot class 0, p = 0.7 -> -ln 0.7 = 0.356675; row 2: soft (0.5, 0.5, 0), p = (0.25, 0.25, 0.5)
    // -> -(0.5 ln 0.25 + 0.5 ln 0.25) = ln 4 = 1.386294; mean = 0.871485
    const targets = tf.tensor2d([
      [1, 0, 0],
      [0.5, 0.5, 0],
    ]);
    const probs = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ]);
    expect(value(softCrossEntropy(targets, probs))).toBeCloseTo((-Math.log(0.7) + Math.log(4)) / 2, 5);
    const logits = tf.log(probs);
    expect(value(softCrossEntropy(targets, logits, true))).toBeCloseTo((-Math.log(0.7) + Math.log(4)) / 2, 5);
    tf.dispose([targets, probs, logits]);
  });

  test('class weights scale each class term of the soft cross-entropy', () => {
    const targets = tf.tensor2d([
      [1, 0, 0],
      [0.5, 0.5, 0],
    ]);
    const probs = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ]);
    // row 1: 2 x -ln 0.7; row 2: 0.5 x (2 x -ln 0.25) + 0.5 x (3 x -ln 0.25)
    const expected = (-2 * Math.log(0.7) - 2.5 * Math.log(0.25)) / 2;
    expect(value(softCrossEntropy(targets, probs, false, [2, 3, 5]))).toBeCloseTo(expected, 5);
    tf.dispose([targets, probs]);
  });

  test('multi-task loss is the weighted sum and names a missing output', () => {
    const loss = multiTaskLoss({ va: { loss: mseLoss, weight: 2 }, classes: { loss: softCrossEntropy, weight: 0.5 } });
    const va = tf.tensor2d([[1, 2]]);
    const vaPred = tf.tensor2d([[0, 2]]);
    const cls = tf.tensor2d([[1, 0]]);
    const clsPred = tf.tensor2d([[0.5, 0.5]]);
    // 2 x mse (1 + 0) / 2 = 1, plus 0.5 x ln 2
    expect(value(loss({ va, classes: cls }, { va: vaPred, classes: clsPred }))).toBeCloseTo(1 + 0.5 * Math.log(2), 5);
    expect(() => loss({ va }, { va: vaPred, classes: clsPred })).toThrow(/output "classes" is missing/);
    tf.dispose([va, vaPred, cls, clsPred]);
  });
});
