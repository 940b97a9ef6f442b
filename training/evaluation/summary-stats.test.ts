import { expect, test } from 'vitest';
import { summaryStats } from './summary-stats.ts';

test('mean, sample standard deviation, min and max', () => {
  const s = summaryStats([0.9, 0.8, 1.0, 0.7]);
  expect(s.n).toBe(4);
  expect(s.mean).toBeCloseTo(0.85, 12);
  // Deviations ±0.05, ±0.15: sum of squares 0.05, over n - 1 = 3.
  expect(s.sd).toBeCloseTo(Math.sqrt(0.05 / 3), 12);
  expect(s.min).toBe(0.7);
  expect(s.max).toBe(1.0);
});

test('one value has no spread; no values or a NaN is an error', () => {
  expect(summaryStats([0.5])).toEqual({ n: 1, mean: 0.5, sd: 0, min: 0.5, max: 0.5 });
  expect(() => summaryStats([])).toThrow(/no values/);
  expect(() => summaryStats([0.5, NaN])).toThrow(/non-finite/);
});
