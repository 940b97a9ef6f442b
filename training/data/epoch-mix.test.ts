import { describe, expect, test } from 'vitest';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { drawEpoch, drawFromPool, epochClassMass, epochCounts, labelCounts } from './epoch-mix.ts';
import type { Sample } from './types.ts';

const pool = (prefix: string, n: number, label: Emotion): Sample[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, source: `${prefix}${i}.png`, label }));

const ids = (samples: readonly Sample[]): string[] => samples.map((s) => s.id);

describe('epochCounts', () => {
  test('splits the epoch by the mix share, rounding the mix part', () => {
    expect(epochCounts({ epochSize: 100, mixShare: 0.25, seed: 1 })).toEqual({ primary: 75, mix: 25 });
    expect(epochCounts({ epochSize: 10, mixShare: 0.33, seed: 1 })).toEqual({ primary: 7, mix: 3 });
    expect(epochCounts({ epochSize: 10, mixShare: 0, seed: 1 })).toEqual({ primary: 10, mix: 0 });
  });
});

describe('drawFromPool', () => {
  const p = pool('a', 10, 'happy');

  test('every image once before any twice, within and across epochs', () => {
    const drawn = [1, 2, 3, 4, 5].flatMap((epoch) => ids(drawFromPool(p, 4, epoch, 7)));
    // 20 draws over a pool of 10: two full passes, each a permutation of the pool.
    expect(new Set(drawn.slice(0, 10)).size).toBe(10);
    expect(new Set(drawn.slice(10, 20)).size).toBe(10);
    expect(drawn.slice(0, 10)).not.toEqual(drawn.slice(10, 20));
  });

  test('a count larger than the pool repeats it in fresh orders', () => {
    const drawn = ids(drawFromPool(p, 25, 1, 7));
    expect(drawn).toHaveLength(25);
    expect(new Set(drawn.slice(0, 10)).size).toBe(10);
    expect(new Set(drawn.slice(10, 20)).size).toBe(10);
  });

  test('seeded: the same seed gives the same draw, another seed another', () => {
    expect(ids(drawFromPool(p, 6, 2, 7))).toEqual(ids(drawFromPool(p, 6, 2, 7)));
    expect(ids(drawFromPool(p, 6, 2, 7))).not.toEqual(ids(drawFromPool(p, 6, 2, 8)));
  });

  test('nothing from an empty count; an empty pool with a count is an error', () => {
    expect(drawFromPool([], 0, 1, 1)).toEqual([]);
    expect(() => drawFromPool([], 3, 1, 1)).toThrow(/empty pool/);
  });
});

describe('drawEpoch', () => {
  const primary = pool('fer', 40, 'neutral');
  const mix = pool('ck', 6, 'anger');
  const plan = { epochSize: 20, mixShare: 0.3, seed: 3 };

  test('holds the planned count from each pool, interleaved', () => {
    const epoch = drawEpoch(primary, mix, plan, 1);
    expect(epoch).toHaveLength(20);
    expect(epoch.filter((s) => s.id.startsWith('ck'))).toHaveLength(6);
    expect(epoch.filter((s) => s.id.startsWith('fer'))).toHaveLength(14);
    // Not the primary block followed by the mix block.
    expect(
      ids(epoch)
        .slice(14)
        .every((id) => id.startsWith('ck')),
    ).toBe(false);
  });

  test('consecutive epochs cover the primary pool before repeating it', () => {
    const seen = [1, 2].flatMap((e) => ids(drawEpoch(primary, mix, plan, e)).filter((id) => id.startsWith('fer')));
    expect(new Set(seen).size).toBe(28);
  });
});

describe('epochClassMass', () => {
  test('each pool counts in proportion to what the epoch draws from it', () => {
    const primary = [...pool('n', 30, 'neutral'), ...pool('h', 10, 'happy')];
    const mix = pool('ck', 5, 'anger');
    const mass = epochClassMass(primary, mix, { epochSize: 100, mixShare: 0.2, seed: 1 }, labelCounts);
    expect(mass[EMOTIONS.indexOf('neutral')]).toBeCloseTo(60, 9);
    expect(mass[EMOTIONS.indexOf('happy')]).toBeCloseTo(20, 9);
    expect(mass[EMOTIONS.indexOf('anger')]).toBeCloseTo(20, 9);
    expect(mass.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });
});
