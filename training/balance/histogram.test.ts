import { describe, expect, test } from 'vitest';
import { createRng } from '../util/rng.ts';
import { balanceByHistogram, binIndex, histogramM, keepProbability, type BalanceMode } from './histogram.ts';

// Hand example on a 2x2 grid over [-1, 1] (bin 0 = [-1, 0), bin 1 = [0, 1]); layout: valence bin * 2 + arousal bin.
//   2 frames at (0, 0)          -> dropped (v = a = 0)
//   4 frames at ( 0.5,  0.5)    -> bin (1, 1) = 3, count 4
//   2 frames at (-0.5,  0.5)    -> bin (0, 1) = 1, count 2
//   1 frame  at ( 0.5, -0.5)    -> bin (1, 0) = 2, count 1
// Non-empty bins: 3, max 4, mean 7/3, average (4 + 7/3) / 2 = 19/6.
const V = [0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5];
const A = [0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5];
const SMALL = { bins: 2 } as const;
// keep probability 1 - count / M per bin count (4, 2, 1):
const EXPECTED_P: Record<BalanceMode, { m: number; p4: number; p2: number; p1: number }> = {
  max: { m: 4, p4: 0, p2: 1 - 2 / 4, p1: 1 - 1 / 4 },
  mean: { m: 7 / 3, p4: 0, p2: 1 - 6 / 7, p1: 1 - 3 / 7 },
  average: { m: 19 / 6, p4: 0, p2: 1 - 12 / 19, p1: 1 - 6 / 19 },
};

const constant = (u: number) => () => u;

describe('histogram balancing: hand-computed example', () => {
  test('bins follow numpy: half-open bins, last bin closed, out of range clamped', () => {
    expect(binIndex(-1, [-1, 1], 40)).toBe(0);
    expect(binIndex(-0.95, [-1, 1], 40)).toBe(1);
    expect(binIndex(0, [-1, 1], 40)).toBe(20);
    expect(binIndex(1, [-1, 1], 40)).toBe(39);
    expect(binIndex(1.2, [-1, 1], 40)).toBe(39);
    expect(binIndex(-3, [-1, 1], 40)).toBe(0);
  });

  test('counts, M and keep probabilities per mode', () => {
    for (const mode of ['max', 'mean', 'average'] as const) {
      const r = balanceByHistogram(V, A, constant(0.99), { ...SMALL, mode });
      expect(r.droppedNeutral).toBe(2);
      expect(Array.from(r.counts)).toEqual([0, 2, 1, 4]);
      const e = EXPECTED_P[mode];
      expect(r.m).toBeCloseTo(e.m, 12);
      expect(histogramM(r.counts, mode)).toBeCloseTo(e.m, 12);
      expect(keepProbability(4, r.m)).toBeCloseTo(e.p4, 12);
      expect(keepProbability(2, r.m)).toBeCloseTo(e.p2, 12);
      expect(keepProbability(1, r.m)).toBeCloseTo(e.p1, 12);
    }
  });

  test('a frame is kept exactly when its draw is below its keep probability', () => {
    // u = 0.3: max keeps bins 2 (0.3 < 0.5) and 1 (0.3 < 0.75); average keeps bin 2 (0.3 < 7/19 = 0.368) and bin 1;
    // mean keeps only bin 1 (0.3 >= 1/7 = 0.143, 0.3 < 4/7). The densest bin (p = 0) never keeps anything.
    expect(balanceByHistogram(V, A, constant(0.3), { ...SMALL, mode: 'max' }).kept).toEqual([6, 7, 8]);
    expect(balanceByHistogram(V, A, constant(0.3), { ...SMALL, mode: 'average' }).kept).toEqual([6, 7, 8]);
    expect(balanceByHistogram(V, A, constant(0.3), { ...SMALL, mode: 'mean' }).kept).toEqual([8]);
    // u = 0.4 separates max (0.4 < 0.5) from average (0.4 >= 0.368).
    expect(balanceByHistogram(V, A, constant(0.4), { ...SMALL, mode: 'max' }).kept).toEqual([6, 7, 8]);
    expect(balanceByHistogram(V, A, constant(0.4), { ...SMALL, mode: 'average' }).kept).toEqual([8]);
    expect(balanceByHistogram(V, A, constant(0), { ...SMALL, mode: 'max' }).kept).toEqual([6, 7, 8]);
  });

  test('with a seeded rng, keep counts of many copies match count x probability', () => {
    const copies = 5000;
    const v: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < copies; i++) {
      v.push(...V);
      a.push(...A);
    }
    for (const mode of ['max', 'mean', 'average'] as const) {
      const r = balanceByHistogram(v, a, createRng(11), { ...SMALL, mode });
      const e = EXPECTED_P[mode];
      // bins 1 (count 2 per copy), 2 (count 1 per copy), 3 (count 4 per copy)
      const expected = [0, 2 * copies * e.p2, copies * e.p1, 4 * copies * e.p4];
      const n = [0, 2 * copies, copies, 4 * copies];
      const p = [0, e.p2, e.p1, e.p4];
      for (let b = 0; b < 4; b++) {
        const sd = Math.sqrt((n[b] ?? 0) * (p[b] ?? 0) * (1 - (p[b] ?? 0)));
        expect(Math.abs((r.keptCounts[b] ?? 0) - (expected[b] ?? 0))).toBeLessThanOrEqual(4 * sd + 1e-9);
      }
      expect(r.kept.length).toBe(r.keptCounts.reduce((s, c) => s + c, 0));
    }
  });

  test('arousal is binned with its own edges', () => {
    // Valence edges [-1, 0, 1], arousal edges [0, 1, 2]: arousal 0.5 is in arousal bin 0 (it would be bin 1 under
    // the valence edges, the authors' bug).
    const r = balanceByHistogram([0.5, -0.5], [0.5, 1.5], constant(0.5), { bins: 2, mode: 'max', arousalRange: [0, 2] });
    expect(Array.from(r.counts)).toEqual([0, 1, 1, 0]);
  });

  test('bad input is rejected with the reason', () => {
    expect(() => balanceByHistogram([0.1], [0.1, 0.2], constant(0))).toThrow(/1 valence values but 2 arousal/);
    expect(() => balanceByHistogram([0.1, NaN], [0.1, 0.2], constant(0))).toThrow(/frame 1 has a non-finite label/);
    expect(() => balanceByHistogram([0.1], [0.1], constant(0), { bins: 0 })).toThrow(/bins must be a positive integer/);
    expect(() => balanceByHistogram([0.1], [0.1], constant(0), { arousalRange: [1, 1] })).toThrow(/arousalRange \[1, 1\] is empty/);
  });
});

/** 80% of frames in a tight cluster (the "neutral-ish, slightly positive" mass of real data), 20% spread out. */
function skewed(n: number, seed: number): { v: number[]; a: number[] } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const clamp = (x: number) => Math.max(-1, Math.min(1, x));
  const v: number[] = [];
  const a: number[] = [];
  for (let i = 0; i < n; i++) {
    if (rng() < 0.8) {
      v.push(clamp(0.3 + 0.08 * gauss()));
      a.push(clamp(0.1 + 0.08 * gauss()));
    } else {
      v.push(rng() * 2 - 1);
      a.push(rng() * 2 - 1);
    }
  }
  return { v, a };
}

function entropy(counts: Uint32Array): number {
  const total = counts.reduce((s, c) => s + c, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

function maxOverMean(counts: Uint32Array): number {
  const nonEmpty = Array.from(counts).filter((c) => c > 0);
  return Math.max(...nonEmpty) / (nonEmpty.reduce((s, c) => s + c, 0) / nonEmpty.length);
}

describe('histogram balancing: synthetic skewed distribution (40x40)', () => {
  const { v, a } = skewed(20_000, 5);

  test.each(['max', 'mean', 'average'] as const)('mode %s flattens the histogram', (mode) => {
    const r = balanceByHistogram(v, a, createRng(9), { mode });
    expect(r.kept.length).toBeGreaterThan(100);
    expect(r.kept.length).toBeLessThan(v.length);
    expect(entropy(r.keptCounts)).toBeGreaterThan(entropy(r.counts) + 0.5);
    expect(maxOverMean(r.keptCounts)).toBeLessThan(maxOverMean(r.counts) / 2);
  });

  test('is exactly reproducible under a seed and changes with the seed', () => {
    const r1 = balanceByHistogram(v, a, createRng(123), { mode: 'average' });
    const r2 = balanceByHistogram(v, a, createRng(123), { mode: 'average' });
    const r3 = balanceByHistogram(v, a, createRng(124), { mode: 'average' });
    expect(r2.kept).toEqual(r1.kept);
    expect(r3.kept).not.toEqual(r1.kept);
  });
});
