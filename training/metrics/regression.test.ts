import { describe, expect, test } from 'vitest';
import { ccc, rmse } from './regression.ts';

describe('ccc', () => {
  test('matches a hand computation', () => {
    // a = 1 2 3 4, b = 2 2 4 5: means 2.5, 3.25; deviations a -1.5 -0.5 0.5 1.5, b -1.25 -1.25 0.75 1.75
    // var a = (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; var b = (1.5625 + 1.5625 + 0.5625 + 3.0625) / 4 = 1.6875
    // cov = (1.875 + 0.625 + 0.375 + 2.625) / 4 = 1.375; (2.5 - 3.25)^2 = 0.5625
    // ccc = 2 * 1.375 / (1.25 + 1.6875 + 0.5625) = 2.75 / 3.5 = 11/14
    expect(ccc([1, 2, 3, 4], [2, 2, 4, 5])).toBeCloseTo(11 / 14, 12);
  });

  test('is 1 for perfect agreement, -1 for mirrored zero-mean series, and penalises an offset', () => {
    const a = [-1.5, -0.5, 0.5, 1.5];
    expect(ccc(a, a)).toBeCloseTo(1, 12);
    expect(
      ccc(
        a,
        a.map((x) => -x),
      ),
    ).toBeCloseTo(-1, 12);
    // Perfectly correlated but shifted by 1: 2 * 1.25 / (1.25 + 1.25 + 1) = 5/7 (Pearson would say 1).
    expect(
      ccc(
        a,
        a.map((x) => x + 1),
      ),
    ).toBeCloseTo(5 / 7, 12);
  });

  test('two identical constant series agree perfectly; a constant against a varying series gives 0', () => {
    expect(ccc([0.3, 0.3], [0.3, 0.3])).toBe(1);
    expect(ccc([0.3, 0.3, 0.3], [1, 2, 3])).toBe(0);
  });

  test('rejects mismatched or empty input', () => {
    expect(() => ccc([1, 2], [1])).toThrow(/ccc: arrays differ in length \(2 vs 1\)/);
    expect(() => ccc([], [])).toThrow(/ccc: empty arrays/);
  });
});

describe('rmse', () => {
  test('matches a hand computation', () => {
    // differences -1 0 -1 -1: squares sum to 3, mean 0.75, root 0.8660...
    expect(rmse([1, 2, 3, 4], [2, 2, 4, 5])).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(rmse([0.5, -0.5], [0.5, -0.5])).toBe(0);
  });

  test('rejects mismatched input', () => {
    expect(() => rmse([1], [1, 2])).toThrow(/rmse: arrays differ in length/);
  });
});
