import { describe, expect, it } from 'vitest';
import { NOTHING_SMOOTHED, smoothReading } from './6-smoothing.ts';

describe('smoothReading', () => {
  it('passes the first sample through and smooths the next by the time elapsed since the last', () => {
    const first = smoothReading(NOTHING_SMOOTHED, { valence: 1, arousal: 0 }, 1000, 100);
    expect(first).toEqual({ value: { valence: 1, arousal: 0 }, lastTime: 1000 });
    const next = smoothReading(first, { valence: 0, arousal: 1 }, 1100, 100);
    expect(next.value!.valence).toBeCloseTo(Math.exp(-1), 6);
    expect(next.value!.arousal).toBeCloseTo(1 - Math.exp(-1), 6);
    expect(next.lastTime).toBe(1100);
  });

  it('responds the same at any frame rate: two steps of 50 ms equal one of 100 ms', () => {
    const start = smoothReading(NOTHING_SMOOTHED, { valence: 1, arousal: 1 }, 0, 300);
    const sample = { valence: -1, arousal: 0 };
    const twice = smoothReading(smoothReading(start, sample, 50, 300), sample, 100, 300);
    const once = smoothReading(start, sample, 100, 300);
    expect(twice.value!.valence).toBeCloseTo(once.value!.valence, 9);
  });
});
