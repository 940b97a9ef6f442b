import { describe, expect, test } from 'vitest';
import { agrees, chunkRates, median, percentile, rate, summarise } from './stats.ts';

describe('median', () => {
  test('the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([700, 520, 610])).toBe(610);
    expect(median([600, 500, 560, 580])).toBe(570);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});

describe('percentile', () => {
  test('nearest rank on a sorted array', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(6);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });
  test('rejects p outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(/within 0..100/);
  });
});

describe('summarise', () => {
  test('spread is the range of the chunk medians, in measured order', () => {
    // Five chunks of two: medians (nearest rank, upper) 2, 4, 6, 8, 10.
    const s = summarise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.n).toBe(10);
    expect(s.p50).toBe(6);
    expect(s.spread).toBe(8);
    // Values without drift across the chunks: every chunk median is 5.
    expect(summarise([1, 5, 9, 9, 5, 1, 5, 1, 9, 1, 9, 5, 5, 9, 1]).spread).toBe(0);
  });
  test('no spread with fewer samples than chunks', () => {
    expect(summarise([3, 4]).spread).toBeNaN();
  });
});

describe('rate', () => {
  test('counts completions per slice within the window', () => {
    // 10 frames, one every 100 ms from 100 to 1000: 10 fps, evenly spread.
    const times = Array.from({ length: 10 }, (_, i) => (i + 1) * 100);
    expect(chunkRates(times, 0, 1000)).toEqual([10, 10, 10, 10, 10]);
    expect(rate(times, 0, 1000)).toEqual({ fps: 10, spread: 0 });
    // Frames outside (start, end] do not count.
    expect(rate([...times, 1500, -5], 0, 1000).fps).toBe(10);
  });
  test('an empty window is an error', () => {
    expect(() => rate([], 5, 5)).toThrow(/must be after/);
  });
});

describe('agrees', () => {
  test('within the larger spread', () => {
    expect(agrees({ value: 20, spread: 3 }, { value: 22, spread: 1 })).toBe(true);
    expect(agrees({ value: 20, spread: 1 }, { value: 23, spread: 1 })).toBe(false);
    expect(agrees({ value: NaN, spread: 1 }, { value: 20, spread: 1 })).toBe(false);
  });
});
