import { describe, expect, it } from 'vitest';
import { resampleRegion } from '../../src/core/preprocess.ts';
import type { GrayImage } from '../../src/core/preprocess.ts';
import { createRng } from '../util/rng.ts';
import { locateCrop } from './locate-crop.ts';

/** Smooth random texture (blurred noise), so every region looks different at every scale. */
function texture(width: number, height: number, seed: number): GrayImage {
  const rng = createRng(seed);
  const noise = Float32Array.from({ length: width * height }, () => rng() * 255);
  const data = new Float32Array(width * height);
  const r = 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let n = 0;
      for (let j = Math.max(0, y - r); j <= Math.min(height - 1, y + r); j++) {
        for (let i = Math.max(0, x - r); i <= Math.min(width - 1, x + r); i++) {
          s += noise[j * width + i] ?? 0;
          n++;
        }
      }
      data[y * width + x] = s / n;
    }
  }
  return { data, width, height };
}

describe('locateCrop', () => {
  it('finds where a resized crop was cut from its frame, to a pixel', () => {
    const frame = texture(160, 120, 7);
    for (const truth of [
      { x: 37, y: 22, width: 70, height: 70 },
      { x: 5, y: 40, width: 51, height: 51 },
    ]) {
      const crop = { data: resampleRegion(frame, truth, 48), width: 48, height: 48 };
      const found = locateCrop(frame, crop, { minSide: 40, maxSide: 110 });
      expect(Math.abs(found.box.x - truth.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(found.box.y - truth.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(found.box.width - truth.width)).toBeLessThanOrEqual(1);
      expect(found.score).toBeGreaterThan(0.95);
    }
  });

  it('searches only inside the given window', () => {
    const frame = texture(160, 120, 8);
    const crop = { data: resampleRegion(frame, { x: 37, y: 22, width: 70, height: 70 }, 48), width: 48, height: 48 };
    const found = locateCrop(frame, crop, { minSide: 40, maxSide: 60, within: { x: 80, y: 0, width: 80, height: 120 } });
    expect(found.box.x).toBeGreaterThanOrEqual(80);
    expect(found.score).toBeLessThan(0.9);
    expect(() => locateCrop(frame, crop, { minSide: 100, maxSide: 120, within: { x: 80, y: 0, width: 80, height: 120 } })).toThrow(
      /no region/,
    );
  });
});
