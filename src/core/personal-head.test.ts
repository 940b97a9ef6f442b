import { describe, expect, test } from 'vitest';
import { EMOTIONS, type Emotion } from './emotions.ts';
import { applyPersonalHead, argmaxAmong, calibrate, fitPersonalHead, type CalibrationFrame, type PersonalHead } from './personal-head.ts';

const SIZE = 300;
const SHOWN: readonly Emotion[] = ['neutral', 'happy', 'surprise', 'sad', 'anger'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
}

/**
 * A synthetic person: a shared face feature plus one direction per expression, and a "shipped model" that reads
 * sad and anger on this person as neutral (as the shipped CNN does on many posed faces).
 */
function person(seed: number, spread: number): { frame: (label: Emotion) => CalibrationFrame } {
  const next = rng(seed);
  const face = Float32Array.from({ length: SIZE }, () => Math.abs(gaussian(next)));
  const directions = new Map(SHOWN.map((e) => [e, Float32Array.from({ length: SIZE }, () => gaussian(next) * spread)]));
  return {
    frame(label) {
      const dir = directions.get(label)!;
      const features = face.map((v, i) => Math.max(0, v + dir[i]! + 0.05 * gaussian(next)));
      const read: Emotion = label === 'sad' || label === 'anger' ? 'neutral' : label;
      const probs = Float32Array.from(EMOTIONS, (e) => (e === read ? 0.7 : 0.3 / (EMOTIONS.length - 1)));
      return { features, probs, va: [0, 0], label };
    },
  };
}

function capture(p: ReturnType<typeof person>, perClass: number): CalibrationFrame[] {
  return SHOWN.flatMap((e) => Array.from({ length: perClass }, () => p.frame(e)));
}

function accuracy(frames: readonly CalibrationFrame[], head?: PersonalHead): number {
  const right = frames.filter(
    (f) => argmaxAmong(head ? applyPersonalHead(head, f.features, f.probs, f.va).probs : f.probs, SHOWN) === f.label,
  );
  return right.length / frames.length;
}

describe('personal head', () => {
  test('a zero correction gives the shipped probabilities and valence/arousal back', () => {
    const f = person(1, 0.5).frame('happy');
    const zero: PersonalHead = {
      featureSize: SIZE,
      centre: new Float32Array(SIZE),
      dW: new Float32Array(SIZE * EMOTIONS.length),
      db: new Float32Array(EMOTIONS.length),
      dV: new Float32Array(SIZE * 2),
      dc: new Float32Array(2),
      classes: SHOWN,
    };
    const out = applyPersonalHead(zero, f.features, f.probs, [0.25, -0.5]);
    out.probs.forEach((p, i) => expect(p).toBeCloseTo(f.probs[i]!, 6));
    expect(out.va).toEqual([0.25, -0.5]);
  });

  test('one frame per expression corrects what the shipped model misreads on new frames of the same person, ', () => {
    const p = person(2, 0.5);
    const head = fitPersonalHead(capture(p, 1));
    const fresh = capture(p, 20);
    expect(accuracy(fresh)).toBeCloseTo(0.6, 5);
    expect(accuracy(fresh, head)).toBeGreaterThanOrEqual(0.95);
    // Valence/arousal move toward each expression's circumplex point: happy right, sad left.
    const meanValence = (label: Emotion): number => {
      const frames = fresh.filter((f) => f.label === label);
      return frames.reduce((s, f) => s + applyPersonalHead(head, f.features, f.probs, f.va).va[0], 0) / frames.length;
    };
    expect(meanValence('happy')).toBeGreaterThan(0.5);
    expect(meanValence('sad')).toBeLessThan(-0.5);
  });

  test('a clear capture is accepted and checked on held-out frames', () => {
    const { head, verdict } = calibrate(capture(person(3, 0.5), 6));
    expect(verdict.accepted).toBe(true);
    expect(verdict.heldOut?.frames).toBe(15);
    expect(verdict.heldOut!.personalAccuracy).toBeGreaterThan(verdict.heldOut!.shippedAccuracy);
    expect(head.classes).toEqual(SHOWN);
  });

  test('a person who did not change expression is told so, and the shipped model is kept', () => {
    const p = person(4, 0);
    const { verdict } = calibrate(capture(p, 6));
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/could not be told apart|held|better/);
  });

  test('one expression is not enough', () => {
    const p = person(5, 0.5);
    const { verdict } = calibrate([p.frame('happy'), p.frame('happy')]);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/at least two different expressions/);
  });

  test('bad input is a clear error', () => {
    const f = person(6, 0.5).frame('happy');
    expect(() => fitPersonalHead([])).toThrow(/no frames captured/);
    expect(() => fitPersonalHead([f, { ...f, features: new Float32Array(10) }])).toThrow(/features of 10 values, expected 300/);
  });
});
