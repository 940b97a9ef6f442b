import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { addHeads } from '../models/heads.ts';
import { addClassOffsets, offsetProbs, scanOffsets, type ScoredSet } from './class-offset.ts';

const N = emotionIndex('neutral');

describe('offsetProbs', () => {
  test('multiplies the class by e^offset and renormalises; offset 0 changes nothing', () => {
    const row = [0.5, 0.25, 0.25, 0, 0, 0, 0, 0];
    const [out] = offsetProbs([row], { neutral: Math.log(2) });
    expect(out![N]).toBeCloseTo(1 / 1.5, 9);
    expect(out![1]).toBeCloseTo(0.25 / 1.5, 9);
    expect(out!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(offsetProbs([row], {})[0]).toEqual(row);
  });
});

describe('addClassOffsets', () => {
  beforeAll(async () => {
    await selectBackend('cpu', { log: () => undefined });
  });

  test("the model's own probabilities after the offset equal offsetProbs of its probabilities before; va is untouched", () => {
    const input = tf.input({ shape: [6] });
    const features = tf.layers.dense({ units: 5, name: 'features' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: addHeads(features, { heads: 'both', dropout: 0 }) });
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 7);
    const read = (): { va: number[][]; classes: number[][] } => {
      const [va, classes] = model.predict(x) as tf.Tensor[];
      const out = { va: va!.arraySync() as number[][], classes: classes!.arraySync() as number[][] };
      tf.dispose([va!, classes!]);
      return out;
    };
    const before = read();
    const tensors = tf.memory().numTensors;
    addClassOffsets(model, { neutral: 1, fear: -0.5 });
    expect(tf.memory().numTensors).toBe(tensors);
    const after = read();
    const expected = offsetProbs(before.classes, { neutral: 1, fear: -0.5 });
    after.classes.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(expected[i]![j]!, 5)));
    expect(after.va).toEqual(before.va);
    tf.dispose(x);
    model.dispose();
  });

  test('a model without an 8-class head is refused', () => {
    const input = tf.input({ shape: [3] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, name: 'classes' }).apply(input) as tf.SymbolicTensor });
    expect(() => addClassOffsets(model, { neutral: 1 })).toThrow(/8-class bias/);
    model.dispose();
  });
});

describe('scanOffsets', () => {
  // Set A: a neutral face the model reads as sad (0.6) unless neutral rises; set B: a sad face read as sad (0.7).
  const row = (neutral: number, sad: number): number[] => EMOTIONS.map((e) => (e === 'neutral' ? neutral : e === 'sad' ? sad : 0));
  const a: ScoredSet = { name: 'a', labels: [N, emotionIndex('sad')], probs: [row(0.4, 0.6), row(0.3, 0.7)], classes: ['neutral', 'sad'] };

  test('scores every candidate and takes the highest mean macro-F1', () => {
    const { rows, best } = scanOffsets([a], 'neutral', [0, 0.5, 2]);
    expect(rows.map((r) => r.scores[0]!.accuracy)).toEqual([0.5, 1, 0.5]);
    expect(best.offset).toBe(0.5);
  });

  test('a recall guard keeps the offset from giving away a class of the guarded set', () => {
    const S = emotionIndex('sad');
    // In the wild (guarded): two neutral faces read sad until neutral rises a little, one sad face.
    const wild: ScoredSet = {
      name: 'wild',
      labels: [N, N, S],
      probs: [row(0.4, 0.6), row(0.45, 0.55), row(0.35, 0.65)],
      classes: ['neutral', 'sad'],
    };
    // Posed: neutral faces that only a large offset reads as neutral, one clear sad face.
    const posed: ScoredSet = {
      name: 'posed',
      labels: [N, N, N, S],
      probs: [row(0.2, 0.8), row(0.2, 0.8), row(0.2, 0.8), row(0.1, 0.9)],
      classes: ['neutral', 'sad'],
    };
    const free = scanOffsets([wild, posed], 'neutral', [0.5, 2]);
    expect(free.best.offset).toBe(2);
    const { rows, best } = scanOffsets([wild, posed], 'neutral', [0.5, 2], { set: 0, classes: ['sad'], minRecall: 0.4 });
    expect(rows.map((r) => [r.guardedRecall.sad, r.passes])).toEqual([
      [1, true],
      [0, false],
    ]);
    expect(best.offset).toBe(0.5);
    // When no row passes, the best of all is taken.
    expect(scanOffsets([wild, posed], 'neutral', [2], { set: 0, classes: ['sad'], minRecall: 0.4 }).best.offset).toBe(2);
    expect(() => scanOffsets([wild], 'neutral', [0], { set: 1, classes: ['sad'], minRecall: 0.4 })).toThrow(/guard names set 1/);
  });

  test('nothing to scan is an error', () => {
    expect(() => scanOffsets([a], 'neutral', [])).toThrow(/at least one candidate/);
  });
});
