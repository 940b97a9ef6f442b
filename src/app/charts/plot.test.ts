import { describe, expect, it } from 'vitest';
import { clamp, linearScale, linePath, niceTicks, tickLabel } from './plot.ts';

describe('linearScale', () => {
  it('maps the domain ends onto the range ends, backwards ranges included', () => {
    const x = linearScale([-1.3, 1.3], [52, 316]);
    expect(x(-1.3)).toBeCloseTo(52);
    expect(x(1.3)).toBeCloseTo(316);
    expect(x(0)).toBeCloseTo(184);
    const y = linearScale([-1, 1], [180, 28]);
    expect(y(1)).toBeCloseTo(28);
    expect(y(-1)).toBeCloseTo(180);
    expect(y(0.5)).toBeCloseTo(66);
  });

  it('refuses an empty domain', () => {
    expect(() => linearScale([2, 2], [0, 10])).toThrow(/empty or invalid domain/);
    expect(() => linearScale([0, Number.NaN], [0, 10])).toThrow(/empty or invalid domain/);
  });
});

describe('clamp', () => {
  it('keeps values inside the interval', () => {
    expect(clamp(1.7, -1, 1)).toBe(1);
    expect(clamp(-3, -1, 1)).toBe(-1);
    expect(clamp(0.25, -1, 1)).toBe(0.25);
  });
});

describe('niceTicks', () => {
  it('gives round steps covering the interval', () => {
    expect(niceTicks(0, 10, 6)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-60, 0, 5)).toEqual([-60, -40, -20, 0]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 47.3, 6)).toEqual([0, 10, 20, 30, 40]);
  });

  it('keeps to whole numbers when asked, however short the interval', () => {
    expect(niceTicks(0, 1, 6, true)).toEqual([0, 1]);
    expect(niceTicks(0, 2.5, 6, true)).toEqual([0, 1, 2]);
    expect(niceTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('never gives more ticks than asked', () => {
    for (const hi of [1, 3.3, 17, 59.9, 600, 3601]) expect(niceTicks(0, hi, 6).length).toBeLessThanOrEqual(6);
  });

  it('refuses an invalid interval', () => {
    expect(() => niceTicks(1, 0, 5)).toThrow(/invalid interval/);
    expect(() => niceTicks(0, 1, 1)).toThrow(/at least 2/);
  });
});

describe('linePath', () => {
  const pts = [
    { t: 0, v: 1 },
    { t: 1, v: 2 },
    { t: 2, v: null },
    { t: 3, v: 4 },
    { t: 4, v: 5 },
  ];

  it('draws through the points and breaks the line where a value is missing', () => {
    expect(
      linePath(
        pts,
        (p) => p.t * 10,
        (p) => p.v,
      ),
    ).toBe('M0.0,1.0L10.0,2.0M30.0,4.0L40.0,5.0');
  });

  it('is empty when nothing can be drawn', () => {
    expect(
      linePath(
        [],
        (p: { t: number }) => p.t,
        () => 1,
      ),
    ).toBe('');
    expect(
      linePath(
        pts,
        (p) => p.t,
        () => null,
      ),
    ).toBe('');
  });
});

describe('tickLabel', () => {
  it('writes short numbers with their unit', () => {
    expect(tickLabel(-60, ' s')).toBe('-60 s');
    expect(tickLabel(0.30000000000000004)).toBe('0.3');
    expect(tickLabel(1)).toBe('1');
  });
});
