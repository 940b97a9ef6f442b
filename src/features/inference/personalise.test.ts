import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import type { PersonalHead } from '../../core/personal-head.ts';
import { personalise } from './personalise.ts';

const SIZE = 4;
const head = (dc: [number, number], happyBias: number): PersonalHead => ({
  featureSize: SIZE,
  centre: new Float32Array(SIZE),
  dW: new Float32Array(SIZE * EMOTIONS.length),
  db: Float32Array.from(EMOTIONS, (e) => (e === 'happy' ? happyBias : 0)),
  dV: new Float32Array(SIZE * 2),
  dc: Float32Array.from(dc),
  classes: ['neutral', 'happy'],
});
const shipped = {
  features: Float32Array.from([1, 0, 2, 0]),
  probs: Float32Array.from(EMOTIONS, (e) => (e === 'neutral' ? 0.6 : 0.4 / 7)),
  va: { valence: 0.1, arousal: -0.2 },
};

describe('personalise', () => {
  it('a zero correction changes nothing', () => {
    const r = personalise(head([0, 0], 0), shipped);
    r.output.probs.forEach((p, i) => expect(p).toBeCloseTo(shipped.probs[i]!, 6));
    expect(r.output.va.valence).toBeCloseTo(0.1, 6);
    expect(r.vaCorrection.valence).toBeCloseTo(0, 6);
    expect(r.output.features).toBe(shipped.features);
  });
  it('applies the correction and reports what it added to valence/arousal', () => {
    const r = personalise(head([0.5, 0.25], 3), shipped);
    expect(EMOTIONS[r.output.probs.indexOf(Math.max(...r.output.probs))]).toBe('happy');
    expect(r.vaCorrection.valence).toBeCloseTo(0.5, 6);
    expect(r.vaCorrection.arousal).toBeCloseTo(0.25, 6);
    expect(r.output.va.arousal).toBeCloseTo(0.05, 6);
  });
});
