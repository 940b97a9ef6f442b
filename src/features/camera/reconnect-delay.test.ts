import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect-delay.ts';

describe('reconnectDelayMs', () => {
  it('doubles from the first delay and stops growing at the cap', () => {
    expect([1, 2, 3, 4, 5, 20].map((a) => reconnectDelayMs(a))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes other limits', () => {
    expect([1, 2, 3].map((a) => reconnectDelayMs(a, 100, 250))).toEqual([100, 200, 250]);
  });
});
