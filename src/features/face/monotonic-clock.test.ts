import { describe, expect, it } from 'vitest';
import { createMonotonicClock } from './monotonic-clock.ts';

describe('createMonotonicClock', () => {
  it('passes increasing times through, rounded to milliseconds', () => {
    const clock = createMonotonicClock();
    expect([clock(10.2), clock(33.4), clock(66.7)]).toEqual([10, 33, 67]);
  });

  it('forces repeated and backward times forward', () => {
    const clock = createMonotonicClock();
    expect([clock(100), clock(100), clock(50), clock(103)]).toEqual([100, 101, 102, 103]);
  });
});
