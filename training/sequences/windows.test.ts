import { describe, expect, test } from 'vitest';
import { FEATURE_SIZE, gatherWindows, interpolateMissing, windowRefs, type FeatureSequence } from './windows.ts';

function seq(T: number, present: number[] = Array(T).fill(1), labelled: number[] = Array(T).fill(1)): FeatureSequence {
  const features = new Float32Array(T * FEATURE_SIZE);
  for (let t = 0; t < T; t++) features.fill(t, t * FEATURE_SIZE, (t + 1) * FEATURE_SIZE);
  const targets = new Float32Array(T * 2);
  for (let t = 0; t < T; t++) {
    targets[2 * t] = t / 10;
    targets[2 * t + 1] = -t / 10;
  }
  return { id: 's', features, targets, present: Uint8Array.from(present), labelled: Uint8Array.from(labelled) };
}

describe('windowRefs', () => {
  test('the paper: full windows only, target is the next frame', () => {
    const refs = windowRefs([seq(6)], { window: 3, padStart: false, target: 'next' });
    // last frames 2, 3, 4 (frame 5 is the target of end 4)
    expect(refs.map((r) => r.end)).toEqual([2, 3, 4]);
  });

  test('no window spans a missing frame', () => {
    const refs = windowRefs([seq(8, [1, 1, 1, 0, 1, 1, 1, 1])], { window: 3, padStart: false, target: 'next' });
    expect(refs.map((r) => r.end)).toEqual([2, 6]);
  });

  test('padding at the start makes short clips usable, but never across a gap', () => {
    const refs = windowRefs([seq(5, [1, 1, 0, 1, 1])], { window: 4, padStart: true, target: 'current' });
    expect(refs.map((r) => r.end)).toEqual([0, 1]);
  });

  test('unlabelled targets are skipped', () => {
    const refs = windowRefs([seq(4, undefined, [1, 0, 1, 1])], { window: 1, padStart: false, target: 'current' });
    expect(refs.map((r) => r.end)).toEqual([0, 2, 3]);
  });
});

describe('gatherWindows', () => {
  test('copies frames in order, repeating frame 0 before the clip, and the target after the window', () => {
    const s = seq(5);
    const opts = { window: 4, padStart: true, target: 'next' as const };
    const { xs, ys } = gatherWindows([s], [{ seq: 0, end: 1 }], opts);
    const firstOfEachStep = [0, 1, 2, 3].map((k) => xs[k * FEATURE_SIZE]);
    expect(firstOfEachStep).toEqual([0, 0, 0, 1]);
    expect(Array.from(ys)).toEqual([0.2, -0.2].map(Math.fround));
  });
});

describe('interpolateMissing', () => {
  test('linear between known neighbours, held at the ends', () => {
    const out = interpolateMissing([9, 1, 9, 9, 4, 9], [0, 1, 0, 0, 4, 0]);
    expect(Array.from(out)).toEqual([1, 1, 2, 3, 4, 4]);
  });
  test('nothing known gives zeros', () => {
    expect(Array.from(interpolateMissing([5, 5], [0, 0]))).toEqual([0, 0]);
  });
});
