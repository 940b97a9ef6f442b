import { describe, expect, it } from 'vitest';
import { circumplexPoint } from '../../src/core/emotions.ts';
import { createRng } from '../util/rng.ts';
import { gaussian, jitteredBoxes, meanAbsStep, meanSd, nearestCategory, withSensorNoise } from './temporal-table.ts';

describe('temporal table helpers', () => {
  it('nearestCategory maps each category point to itself among CK+ classes', () => {
    const ck = ['anger', 'contempt', 'disgust', 'fear', 'happy', 'sad', 'surprise'] as const;
    for (const e of ck) {
      const p = circumplexPoint(e);
      expect(nearestCategory(p.valence, p.arousal, ck)).toBe(e);
    }
    expect(() => nearestCategory(0, 0, [])).toThrow(/no candidate/);
  });

  it('meanAbsStep is the mean absolute difference of neighbours', () => {
    expect(meanAbsStep([0, 1, 0.5, 0.5])).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(meanAbsStep([3])).toBe(0);
  });

  it('gaussian draws have mean ~0 and sd ~1', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => gaussian(rng));
    const { mean, sd } = meanSd(xs);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('jittered boxes scatter around the box with the requested spread', () => {
    const box = { x: 100, y: 50, width: 200, height: 200 };
    const boxes = jitteredBoxes(box, 4000, { boxShift: 0.02, boxScale: 0.01, pixelSigma: 0 }, createRng(5));
    const cx = meanSd(boxes.map((b) => b.x + b.width / 2));
    const w = meanSd(boxes.map((b) => b.width));
    expect(cx.mean).toBeCloseTo(200, 0);
    expect(cx.sd).toBeCloseTo(4, 0);
    expect(w.sd).toBeCloseTo(2, 0);
    const none = jitteredBoxes(box, 3, { boxShift: 0, boxScale: 0, pixelSigma: 0 }, createRng(5));
    for (const b of none) expect(b).toEqual(box);
    // The face's roll is kept: a levelled crop turns the same way on every jittered box.
    expect(
      jitteredBoxes({ ...box, roll: 0.2 }, 2, { boxShift: 0.02, boxScale: 0.01, pixelSigma: 0 }, createRng(5)).map((b) => b.roll),
    ).toEqual([0.2, 0.2]);
  });

  it('sensor noise is clipped to 0..255 and leaves the input unchanged', () => {
    const image = { data: new Uint8Array([0, 128, 255, 128]), width: 2, height: 2, channels: 1 as const };
    const noisy = withSensorNoise(image, 50, createRng(1));
    expect(Array.from(image.data)).toEqual([0, 128, 255, 128]);
    for (const v of Array.from(noisy.data)) expect(v >= 0 && v <= 255).toBe(true);
    expect(Array.from(noisy.data)).not.toEqual([0, 128, 255, 128]);
  });

  it('meanSd gives the sample standard deviation', () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3) });
  });
});
