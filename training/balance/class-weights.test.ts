import { describe, expect, it } from 'vitest';
import { classWeights } from './class-weights.ts';

describe('classWeights', () => {
  const mass = [36, 28, 12, 12, 8, 0.6, 2.4, 0.6];

  it('keeps the mean loss scale: sum of f_c * w_c is 1', () => {
    for (const mode of ['sqrt-inverse', 'inverse'] as const) {
      const w = classWeights(mass, mode);
      const total = mass.reduce((a, b) => a + b, 0);
      expect(mass.reduce((acc, m, c) => acc + (m / total) * w[c]!, 0)).toBeCloseTo(1, 12);
    }
  });

  it("'inverse' gives every class the same total weight, 'sqrt-inverse' the square root of its share", () => {
    const inv = classWeights(mass, 'inverse');
    const totals = mass.map((m, c) => m * inv[c]!);
    for (const t of totals) expect(t).toBeCloseTo(totals[0]!, 9);
    const sq = classWeights(mass, 'sqrt-inverse');
    expect(sq[5]! / sq[0]!).toBeCloseTo(Math.sqrt(36 / 0.6), 9);
  });

  it("'none' is all ones; absent classes get weight 0; bad masses are an error", () => {
    expect(classWeights(mass, 'none')).toEqual(mass.map(() => 1));
    expect(classWeights([1, 0, 3], 'inverse')[1]).toBe(0);
    expect(() => classWeights([0, 0], 'inverse')).toThrow(/positive sum/);
    expect(() => classWeights([1, -1], 'sqrt-inverse')).toThrow(/non-negative/);
  });
});
