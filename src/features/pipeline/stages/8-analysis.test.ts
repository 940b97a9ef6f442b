import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../core/emotions.ts';
import { cropToBytes, describeAnalysis, faceQuality } from './8-analysis.ts';

const spec = { size: 2, margin: 0.1, shiftY: 0, normalisation: { scale: 1 / 127.5, offset: -1 } };
const face = { x: 10, y: 10, width: 90, height: 100, score: 0.9 };
const output = {
  features: Float32Array.from([1, 2]),
  probs: Float32Array.from(EMOTIONS, (_, i) => (i === 0 ? 1 : 0)),
  va: { valence: 0.1, arousal: 0.2 },
};

describe('cropToBytes', () => {
  it('undoes the model normalisation and gives the mean gray level', () => {
    const { crop, mean } = cropToBytes(Float32Array.from([-1, 0, 1, 0]), spec);
    expect(Array.from(crop)).toEqual([0, 128, 255, 128]);
    expect(mean).toBeCloseTo(127.5, 6);
  });
});

describe('faceQuality', () => {
  it('measures the face against the frame and names what makes the reading unreliable', () => {
    expect(faceQuality(face, 640, 480, 120)).toEqual({ sizePx: 100, sizeFraction: 100 / 480, brightness: 120, score: 0.9, issues: [] });
    expect(faceQuality({ ...face, width: 30, height: 30, score: 0.3 }, 640, 480, 20).issues).toEqual(['dark', 'small', 'uncertain']);
  });
});

describe('describeAnalysis', () => {
  const analysed = { face, width: 640, height: 480, input: Float32Array.from([0, 0, 0, 0]), spec };

  it('reports the shipped output alone when no profile is in use', () => {
    const a = describeAnalysis({ shipped: output, output }, analysed);
    expect(a.probs).toEqual(Array.from(output.probs));
    expect(a.cnn).toBe(output.va);
    expect(a.features).toBe(output.features);
    expect(a.cropSize).toBe(2);
    expect('profile' in a || 'shipped' in a).toBe(false);
  });

  it('with a profile, names it and keeps the shipped output beside the corrected one', () => {
    const corrected = { ...output, va: { valence: 0.5, arousal: 0.2 } };
    const profile = { key: 'me:1', head: undefined as never };
    const a = describeAnalysis({ shipped: output, output: corrected, profile }, analysed);
    expect(a.profile).toBe('me:1');
    expect(a.cnn).toEqual({ valence: 0.5, arousal: 0.2 });
    expect(a.shipped).toEqual({ probs: Array.from(output.probs), va: output.va });
  });
});
