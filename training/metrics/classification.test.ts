import { describe, expect, test } from 'vitest';
import { accuracy, confusionMatrix, macroF1, perClassF1 } from './classification.ts';

const LABELS = [0, 0, 0, 1, 1, 2];
const PREDS = [0, 0, 1, 1, 2, 2];

describe('classification metrics', () => {
  test('accuracy: 4 of 6 right', () => {
    expect(accuracy(LABELS, PREDS)).toBeCloseTo(4 / 6, 12);
  });

  test('confusion matrix counts [true][predicted], with an all-zero row for an absent class', () => {
    expect(confusionMatrix(LABELS, PREDS, 4)).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
  });

  test('macro-F1 matches a hand computation and skips classes neither present nor predicted', () => {
    // F1 = 2 TP / (support + predicted)
    // class 0: TP 2, support 3, predicted 2 -> 4/5
    // class 1: TP 1, support 2, predicted 2 -> 2/4
    // class 2: TP 1, support 1, predicted 2 -> 2/3
    // class 3: absent and never predicted -> left out
    // macro = (4/5 + 1/2 + 2/3) / 3 = 59/90
    const f1 = perClassF1(confusionMatrix(LABELS, PREDS, 4));
    expect(f1.slice(0, 3).map((f) => Number(f.toFixed(12)))).toEqual([0.8, 0.5, Number((2 / 3).toFixed(12))]);
    expect(f1[3]).toBeNaN();
    expect(macroF1(LABELS, PREDS, 4)).toBeCloseTo(59 / 90, 12);
  });

  test('a present class that is never predicted counts as 0 in macro-F1', () => {
    // class 0: TP 1, support 1, predicted 2 -> 2/3; class 1: TP 0 -> 0; macro = 1/3
    expect(macroF1([0, 1], [0, 0], 2)).toBeCloseTo(1 / 3, 12);
  });

  test('rejects labels outside the class range and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/label 1 is 3, not a class index in 0..2/);
    expect(() => confusionMatrix([0, 1], [0, 1.5], 3)).toThrow(/prediction 1 is 1.5/);
    expect(() => accuracy([0, 1], [0])).toThrow(/2 labels but 1 predictions/);
  });
});
