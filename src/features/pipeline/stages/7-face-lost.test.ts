import { describe, expect, it } from 'vitest';
import { whileFaceLost } from './7-face-lost.ts';

const policy = { holdFrames: 2, resetFrames: 4, decayPerFrame: 0.5 };
const last = { valence: 0.8, arousal: -0.4 };

describe('whileFaceLost', () => {
  it('holds, decays toward neutral, then restarts the window and the smoothing', () => {
    const steps = [1, 2, 3, 4, 5].map((missed) => whileFaceLost(last, missed, policy));
    expect(steps.map((s) => s.phase)).toEqual(['hold', 'hold', 'decay', 'reset', 'reset']);
    expect(steps[1]!.va).toEqual(last);
    expect(steps[2]!.va).toEqual({ valence: 0.4, arousal: -0.2 });
    expect(steps[3]!.va).toBeUndefined();
    expect(steps.map((s) => s.restart)).toEqual([false, false, false, true, true]);
  });

  it('shows nothing when nothing was shown before', () => {
    expect(whileFaceLost(undefined, 1, policy).va).toBeUndefined();
  });
});
