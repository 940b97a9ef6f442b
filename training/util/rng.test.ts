import { describe, expect, test } from 'vitest';
import { createRng, deriveSeed, randomInt, shuffled } from './rng.ts';

describe('createRng', () => {
  test('the same seed gives the same stream, another seed another stream', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test('values lie in [0, 1) and are close to uniform', () => {
    const rng = createRng(7);
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const v = rng();
      if (!(v >= 0 && v < 1)) throw new Error(`out of range: ${v}`);
      bins[Math.floor(v * 10)]! += 1;
    }
    // Each bin expects 10,000 with a standard deviation of ~95: 500 is more than 5 sigma.
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(500);
  });

  test('randomInt covers [0, n) and nothing else', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomInt(rng, 6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('shuffled', () => {
  test('is a permutation, deterministic under a seed, and leaves the input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, createRng(3));
    expect(a).toEqual(shuffled(items, createRng(3)));
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(items[0]).toBe(0);
  });

  test('every position is equally likely for the first item', () => {
    const rng = createRng(11);
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < 8000; i++) counts[shuffled([0, 1, 2, 3], rng).indexOf(0)]! += 1;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('deriveSeed', () => {
  test('gives distinct 32-bit seeds per stream, reproducibly', () => {
    const seeds = Array.from({ length: 100 }, (_, i) => deriveSeed(1, i));
    expect(new Set(seeds).size).toBe(100);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(deriveSeed(1, 5)).toBe(seeds[5]);
  });
});
