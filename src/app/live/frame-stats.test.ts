import { describe, expect, it } from 'vitest';
import { chartDue, noFaceSeconds, smoothedFps } from './frame-stats.ts';

describe('smoothedFps', () => {
  it('starts from the first interval and then moves a tenth of the way to each new one', () => {
    expect(smoothedFps(undefined, 40)).toBe(25);
    expect(smoothedFps(25, 20)).toBeCloseTo(25 * 0.9 + 50 * 0.1);
  });

  it('keeps the previous value without an interval (first frame after a restart) or with a zero one', () => {
    expect(smoothedFps(undefined, undefined)).toBeUndefined();
    expect(smoothedFps(30, undefined)).toBe(30);
    expect(smoothedFps(30, 0)).toBe(30);
  });
});

describe('noFaceSeconds', () => {
  it('counts whole seconds since the last face only once the reading was reset', () => {
    expect(noFaceSeconds('reset', 12_900, 10_000)).toBe(2);
    expect(noFaceSeconds('decay', 12_900, 10_000)).toBeUndefined();
    expect(noFaceSeconds('tracking', 12_900, 10_000)).toBeUndefined();
  });
});

describe('chartDue', () => {
  it('lets the charts repaint at most `hz` times a second', () => {
    expect(chartDue(1099, 1000, 10)).toBe(false);
    expect(chartDue(1100, 1000, 10)).toBe(true);
  });
});
