import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../core/emotions.ts';
import type { ExpressionModel } from '../../inference/expression-outputs.ts';
import { personalise } from '../../inference/personalise.ts';
import { applyProfile, readExpression } from './4-expression.ts';

const SIZE = 3;
const shipped = {
  features: Float32Array.from([1, 0, 2]),
  probs: Float32Array.from(EMOTIONS, (e) => (e === 'neutral' ? 0.6 : 0.4 / 7)),
  va: { valence: 0.1, arousal: -0.2 },
};
const profile = {
  key: 'me:1',
  head: {
    featureSize: SIZE,
    centre: new Float32Array(SIZE),
    dW: new Float32Array(SIZE * EMOTIONS.length),
    db: Float32Array.from(EMOTIONS, (e) => (e === 'happy' ? 3 : 0)),
    dV: new Float32Array(SIZE * 2),
    dc: Float32Array.from([0.5, 0.25]),
    classes: ['neutral' as const, 'happy' as const],
  },
};

describe('applyProfile', () => {
  it('without a profile, the page and the readout get the shipped output and no correction', () => {
    expect(applyProfile(shipped, undefined)).toEqual({ shipped, output: shipped });
  });

  it('with a profile, the corrected output beside the shipped one and the valence/arousal it added', () => {
    const reading = applyProfile(shipped, profile);
    const expected = personalise(profile.head, shipped);
    expect(reading.shipped).toBe(shipped);
    expect(reading.output).toEqual(expected.output);
    expect(reading.vaCorrection).toEqual(expected.vaCorrection);
    expect(reading.profile).toBe(profile);
  });
});

describe('readExpression', () => {
  it('asks for the profile once the model has answered', async () => {
    const seen: string[] = [];
    const model: ExpressionModel = {
      entry: undefined as unknown as ExpressionModel['entry'],
      async predict() {
        seen.push('predict');
        return shipped;
      },
      dispose: () => undefined,
    };
    const reading = await readExpression(model, new Float32Array(4), () => {
      seen.push('profile');
      return profile;
    });
    expect(seen).toEqual(['predict', 'profile']);
    expect(reading.profile?.key).toBe('me:1');
  });
});
