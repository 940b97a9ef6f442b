import { describe, expect, it } from 'vitest';
import { createStreamingGru } from '../../core/streaming-gru.ts';
import { DEFAULT_FACE_LOST_POLICY, faceLostPhase, valueWhileLost } from '../inference/face-lost.ts';
import { smoothValenceArousal } from '../inference/smoothing.ts';
import { tinyGru } from './test-gru.ts';
import { createVaTracker } from './va-tracker.ts';

const policy = { holdFrames: 3, resetFrames: 6, decayPerFrame: 0.5 };
const happy = { valence: 0.8, arousal: 0.2 };

describe('face-lost policy', () => {
  it('holds, then decays toward neutral, then resets', () => {
    expect([0, 1, 3, 4, 5, 6, 50].map((m) => faceLostPhase(m, policy))).toEqual([
      'tracking',
      'hold',
      'hold',
      'decay',
      'decay',
      'reset',
      'reset',
    ]);
    expect(valueWhileLost(happy, 3, policy)).toEqual(happy);
    expect(valueWhileLost(happy, 4, policy)).toEqual({ valence: 0.4, arousal: 0.1 });
    expect(valueWhileLost(happy, 5, policy)).toEqual({ valence: 0.2, arousal: 0.05 });
    expect(valueWhileLost(happy, 6, policy)).toBeUndefined();
  });

  it('defaults to a short hold (10 frames) and a reset after 45 frames', () => {
    expect(faceLostPhase(DEFAULT_FACE_LOST_POLICY.holdFrames)).toBe('hold');
    expect(faceLostPhase(DEFAULT_FACE_LOST_POLICY.resetFrames)).toBe('reset');
  });
});

describe('createVaTracker', () => {
  it('passes the first CNN reading through and smooths the next by elapsed time', () => {
    const t = createVaTracker({ policy, timeConstantMs: 100 });
    expect(t.face({ features: [], va: happy }, 0).va).toEqual(happy);
    const next = t.face({ features: [], va: { valence: -0.2, arousal: 0.2 } }, 100).va!;
    expect(next.valence).toBeCloseTo(0.8 + (1 - Math.exp(-1)) * -1, 6);
    expect(next).toEqual(smoothValenceArousal(happy, { valence: -0.2, arousal: 0.2 }, 100, 100));
  });

  it('freezes the temporal window while holding and restarts it after a reset', () => {
    const gru = createStreamingGru(tinyGru, { window: 4, states: 4 });
    const t = createVaTracker({ gru, policy, timeConstantMs: 0 });
    t.face({ features: [1], va: happy }, 0);
    t.face({ features: [1], va: happy }, 33);
    expect(gru.frames).toBe(2);
    for (let i = 0; i < 3; i++) expect(t.noFace(66 + i).phase).toBe('hold');
    expect(gru.frames).toBe(2);
    const decaying = t.noFace(100);
    expect(decaying.phase).toBe('decay');
    expect(decaying.va!.valence).toBeLessThan(t.face({ features: [1], va: happy }, 110).va!.valence);
    for (let i = 0; i < 6; i++) t.noFace(200 + i);
    expect(gru.frames).toBe(0);
    expect(t.noFace(300).va).toBeUndefined();
    const back = t.face({ features: [1], va: happy }, 400);
    expect(back.coverage).toBe(1);
    expect(back.temporal).toBeDefined();
  });
});

describe('a personal correction in the readout', () => {
  it('is added to the temporal model output as well as to the CNN head, before smoothing', () => {
    const correction = { valence: 0.3, arousal: -0.1 };
    const plain = createVaTracker({ gru: createStreamingGru(tinyGru, { window: 4, states: 4 }) });
    const corrected = createVaTracker({ gru: createStreamingGru(tinyGru, { window: 4, states: 4 }) });
    const a = plain.face({ features: [0.5], va: happy }, 0);
    const b = corrected.face({ features: [0.5], va: happy, vaCorrection: correction }, 0);
    expect(b.temporal).toEqual(a.temporal);
    expect(b.va!.valence).toBeCloseTo(a.va!.valence + 0.3, 6);
    expect(b.va!.arousal).toBeCloseTo(a.va!.arousal - 0.1, 6);
    const headOnly = createVaTracker().face({ features: [0.5], va: happy, vaCorrection: correction }, 0);
    expect(headOnly.va!.valence).toBeCloseTo(1.1, 6);
    expect(headOnly.va!.arousal).toBeCloseTo(0.1, 6);
  });
});
