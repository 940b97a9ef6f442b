import { describe, expect, test } from 'vitest';
import { CIRCUMPLEX_ANGLE_DEG, CKPLUS_CODES, EMOTIONS, FER2013_CODES, circumplexPoint, expectedValenceArousal } from './emotions.ts';

describe('circumplex coordinates', () => {
  test('every category but neutral sits on the unit circle at its documented angle', () => {
    for (const [e, deg] of Object.entries(CIRCUMPLEX_ANGLE_DEG)) {
      const p = circumplexPoint(e as keyof typeof CIRCUMPLEX_ANGLE_DEG);
      expect(Math.hypot(p.valence, p.arousal)).toBeCloseTo(1, 10);
      expect((Math.atan2(p.arousal, p.valence) * 180) / Math.PI).toBeCloseTo(deg > 180 ? deg - 360 : deg, 8);
    }
    expect(circumplexPoint('neutral')).toEqual({ valence: 0, arousal: 0 });
  });
  test('signs a reader expects: happy pleasant, anger/fear aroused and unpleasant, sad unpleasant and calm', () => {
    expect(circumplexPoint('happy').valence).toBeGreaterThan(0.9);
    expect(circumplexPoint('anger').valence).toBeLessThan(0);
    expect(circumplexPoint('anger').arousal).toBeGreaterThan(0.9);
    expect(circumplexPoint('sad').valence).toBeLessThan(-0.8);
    expect(circumplexPoint('sad').arousal).toBeLessThan(0);
  });
  test('expected valence/arousal is the vote-weighted mean (renormalised), origin when no votes', () => {
    const votes = [5, 5, 0, 0, 0, 0, 0, 0]; // half neutral, half happy
    const va = expectedValenceArousal(votes);
    expect(va.valence).toBeCloseTo(circumplexPoint('happy').valence / 2, 10);
    expect(va.arousal).toBeCloseTo(circumplexPoint('happy').arousal / 2, 10);
    expect(expectedValenceArousal(new Array(8).fill(0))).toEqual({ valence: 0, arousal: 0 });
    expect(() => expectedValenceArousal([1, 2])).toThrow(/expected 8/);
  });
  test('dataset code tables cover the canonical classes', () => {
    expect(new Set(FER2013_CODES).size).toBe(7);
    expect(new Set(CKPLUS_CODES)).toEqual(new Set(EMOTIONS));
  });
});
