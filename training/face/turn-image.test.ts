import { describe, expect, it } from 'vitest';
import { eyeRoll } from '../../src/core/blazeface.ts';
import { turnImage } from './turn-image.ts';

/** A 41x31 gray image, black but for two bright dots: the "eyes" at (12, 15) and (28, 15). */
function eyes(): { data: Uint8ClampedArray; width: number; height: number; channels: 1 } {
  const width = 41;
  const height = 31;
  const data = new Uint8ClampedArray(width * height);
  for (const [x, y] of [
    [12, 15],
    [28, 15],
  ] as const)
    data[y * width + x] = 255;
  return { data, width, height, channels: 1 };
}

/** The brightest pixel's centre, in the left and right halves. */
function brightest(img: { data: ArrayLike<number>; width: number; height: number }, left: boolean): { x: number; y: number } {
  let best = { x: 0, y: 0, v: -1 };
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      if (left !== x < img.width / 2) continue;
      const v = img.data[y * img.width + x] ?? 0;
      if (v > best.v) best = { x, y, v };
    }
  return { x: best.x + 0.5, y: best.y + 0.5 };
}

describe('turnImage', () => {
  it('0 degrees gives the image back, in gray', () => {
    const img = eyes();
    const out = turnImage(img, 0);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
    expect([out.width, out.height, out.channels]).toEqual([41, 31, 1]);
  });
  it('turns clockwise on screen by positive degrees, about the centre: the eye line takes that roll', () => {
    for (const degrees of [20, -20]) {
      const out = turnImage(eyes(), degrees);
      const roll = eyeRoll([brightest(out, true), brightest(out, false)]);
      expect(Math.abs((roll * 180) / Math.PI - degrees)).toBeLessThan(5);
    }
  });
  it('rejects a non-finite angle', () => {
    expect(() => turnImage(eyes(), Number.NaN)).toThrow(/finite/);
  });
});
