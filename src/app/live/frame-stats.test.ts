import { describe, expect, it } from 'vitest';
import { chartDue, noFaceSeconds, smoothedFps } from './frame-stats.ts';

describe('smoothedFps', () => {
  it('starts from the first interval and then moves the interval a tenth of the way to each new one', () => {
    expect(smoothedFps(undefined, 40)).toBe(25);
    expect(smoothedFps(25, 20)).toBeCloseTo(1000 / (40 * 0.9 + 20 * 0.1));
  });

  it('reports the real rate when results arrive in bursts (two frames in flight)', () => {
    let fps: number | undefined;
    // 20 results a second, arriving in pairs 2 ms apart.
    for (let i = 0; i < 200; i++) fps = smoothedFps(fps, i % 2 === 0 ? 2 : 98);
    expect(fps).toBeGreaterThan(18);
    expect(fps).toBeLessThan(22);
  });

  it('keeps the previous value without an interval (first frame after a restart) or with an invalid one', () => {
    expect(smoothedFps(undefined, undefined)).toBeUndefined();
    expect(smoothedFps(30, undefined)).toBe(30);
    expect(smoothedFps(30, -5)).toBe(30);
    expect(smoothedFps(undefined, 0)).toBeUndefined();
  });

  it('counts two results in one tick as a short interval', () => {
    expect(smoothedFps(25, 0)).toBeCloseTo(1000 / 36);
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
