import { describe, expect, it } from 'vitest';
import { preprocessFace, UNIT_NORMALISATION } from '../../core/preprocess.ts';
import { cropReadRegion, faceInRegion, regionPixels } from './crop-region.ts';

function rgbaImage(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 7 + y * 3) % 256;
      data[i + 1] = (x * 13) % 256;
      data[i + 2] = (y * 11) % 256;
      data[i + 3] = 255;
    }
  }
  return { data, width, height, channels: 4 as const };
}

describe('cropReadRegion', () => {
  const img = rgbaImage(160, 120);
  it.each([
    ['inside, downscaled', { x: 40.3, y: 30.6, width: 61.2, height: 70.1 }, 0.2, 16],
    ['inside, upscaled', { x: 60.5, y: 40.2, width: 20.4, height: 22.9 }, 0.1, 48],
    ['past the left/top edges', { x: 0, y: 0, width: 50, height: 40 }, 0.3, 24],
    ['past the right/bottom edges', { x: 120, y: 90, width: 40, height: 30 }, 0.25, 48],
    ['shifted up past the top edge', { x: 50, y: 5, width: 40, height: 40 }, 0.08, 48, -0.11],
    ['turned 0.4 rad, downscaled', { x: 40.3, y: 30.6, width: 61.2, height: 70.1, roll: 0.4 }, 0.08, 16, -0.11],
    ['turned -0.6 rad, upscaled', { x: 60.5, y: 40.2, width: 20.4, height: 22.9, roll: -0.6 }, 0.08, 48, -0.11],
    ['turned 0.3 rad past the right/bottom edges', { x: 118, y: 88, width: 40, height: 30, roll: 0.3 }, 0.25, 48],
    ['turned by a right angle', { x: 50, y: 30, width: 40, height: 40, roll: Math.PI / 2 }, 0.1, 24],
  ])('gives the same crop as reading the whole frame (%s)', (_name, face, margin, size, shiftY = 0) => {
    const spec = { size, margin, shiftY, levelEyes: true, normalisation: UNIT_NORMALISATION };
    const region = cropReadRegion(face, spec, img.width, img.height);
    const whole = preprocessFace(img, spec, face);
    const part = preprocessFace(regionPixels(img, region), spec, faceInRegion(face, region));
    // Equal up to float rounding of the shifted coordinates.
    const maxDiff = Math.max(...Array.from(part, (v, i) => Math.abs(v - whole[i]!)));
    expect(part.length).toBe(whole.length);
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    expect(region.width * region.height).toBeLessThanOrEqual(img.width * img.height);
  });
});
