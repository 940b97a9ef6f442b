import { describe, expect, test } from 'vitest';
import { withStarts } from './measure.ts';
import type { Measurement } from './measure.ts';
import { alternatedOrder } from './start-pair.ts';

describe('alternatedOrder', () => {
  test('every pipeline once per round, the order reversed every other round', () => {
    expect([0, 1, 2, 3].map((round) => alternatedOrder(3, round))).toEqual([
      [0, 1, 2],
      [2, 1, 0],
      [0, 1, 2],
      [2, 1, 0],
    ]);
  });
});

describe('withStarts', () => {
  const own = { error: undefined, coldUncachedMs: 1900, coldCachedMs: 880, coldUncachedSamplesMs: [1900], coldCachedSamplesMs: [880] };

  test("replaces a measurement's single start with the medians of the alternated starts, keeping the samples", () => {
    const m = withStarts(own as unknown as Measurement, [
      { emptyMs: 1250, warmMs: 620 },
      { emptyMs: 1180, warmMs: 560 },
      { emptyMs: 1400, warmMs: 700 },
      { emptyMs: 1210, warmMs: 575 },
    ]);
    expect(m.coldUncachedMs).toBe(1230);
    expect(m.coldCachedMs).toBe(597.5);
    expect(m.coldUncachedSamplesMs).toEqual([1250, 1180, 1400, 1210]);
    expect(m.coldCachedSamplesMs).toEqual([620, 560, 700, 575]);
  });

  test('keeps its own start when there were no alternated starts, or when it could not run', () => {
    expect(withStarts(own as unknown as Measurement, [])).toBe(own);
    const broken = { ...own, error: 'no face' } as unknown as Measurement;
    expect(withStarts(broken, [{ emptyMs: 1, warmMs: 1 }])).toBe(broken);
  });
});
