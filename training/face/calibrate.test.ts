import { describe, expect, it } from 'vitest';
import { squareCropBox } from '../../src/core/preprocess.ts';
import { framingFigures, framingMargin, framingOffset, spread } from './calibrate.ts';

describe('framingMargin', () => {
  it('is the margin at which squareCropBox spans the whole image', () => {
    const image = { width: 48, height: 48 };
    for (const box of [
      { x: 8, y: 8, width: 32, height: 32 },
      { x: 10, y: 4, width: 28, height: 36 },
      { x: 5, y: 12, width: 40, height: 30 },
    ]) {
      const m = framingMargin(box, image);
      const crop = squareCropBox(box, m);
      expect(crop.width).toBeCloseTo(48, 10);
      expect(crop.height).toBeCloseTo(48, 10);
    }
    expect(framingMargin({ x: 8, y: 8, width: 32, height: 32 }, image)).toBeCloseTo(0.25, 12);
    // Larger than the image: negative, the crop is inside the box.
    expect(framingMargin({ x: -6, y: -6, width: 60, height: 60 }, image)).toBeCloseTo(-0.1, 12);
  });

  it('rejects an empty box', () => {
    expect(() => framingMargin({ x: 0, y: 0, width: 0, height: 0 }, { width: 48, height: 48 })).toThrow(/empty face box/);
  });
});

describe('framingOffset', () => {
  it('measures the box centre from the image centre in box sides', () => {
    expect(framingOffset({ x: 8, y: 8, width: 32, height: 32 }, { width: 48, height: 48 })).toEqual({ dx: 0, dy: 0 });
    expect(framingOffset({ x: 12, y: 4, width: 32, height: 32 }, { width: 48, height: 48 })).toEqual({ dx: 4 / 32, dy: -4 / 32 });
  });
});

describe('spread', () => {
  it('gives numpy-style linear quantiles, mean and population std', () => {
    const s = spread([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ n: 5, median: 3, p25: 2, p75: 4, mean: 3 });
    expect(s.p10).toBeCloseTo(1.4, 12);
    expect(s.p90).toBeCloseTo(4.6, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(2), 12);
  });
});

describe('framingFigures', () => {
  it('counts images without a face in the detection rate only', () => {
    const f = framingFigures([
      { box: { x: 8, y: 8, width: 32, height: 32 }, width: 48, height: 48 },
      { width: 48, height: 48 },
      { box: { x: 4, y: 4, width: 40, height: 40 }, width: 48, height: 48 },
      { width: 48, height: 48 },
    ]);
    expect(f).toMatchObject({ images: 4, detected: 2, detectionRate: 0.5 });
    expect(f.margin.n).toBe(2);
    expect(f.margin.median).toBeCloseTo((0.25 + 0.1) / 2, 12);
  });
});
