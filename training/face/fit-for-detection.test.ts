import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../src/core/preprocess.ts';
import { DEFAULT_DETECTION_FIT, fitForDetection, toSourceBox } from './fit-for-detection.ts';

function grayImage(width: number, height: number, value: (x: number, y: number) => number): RawImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height, channels: 1 };
}

describe('fitForDetection', () => {
  it('passes images at least minSide wide through untouched', () => {
    const frame = grayImage(320, 245, (x, y) => (x + y) % 256);
    const fitted = fitForDetection(frame, DEFAULT_DETECTION_FIT);
    expect(fitted.image).toBe(frame);
    expect(fitted).toMatchObject({ scale: 1, originX: 0, originY: 0 });
  });

  it('enlarges a 48x48 crop to minSide and frames it with a constant border', () => {
    const crop = grayImage(48, 48, () => 200);
    const fit = { minSide: 192, pad: 0.5, padValue: 128 } as const;
    const { image, scale, originX, originY } = fitForDetection(crop, fit);
    expect(image).toMatchObject({ width: 384, height: 384, channels: 1 });
    expect(scale).toBe(4);
    expect([originX, originY]).toEqual([-24, -24]);
    // The crop occupies 96..287 in both axes; the border is exactly the pad value.
    const at = (x: number, y: number): number => image.data[y * 384 + x] ?? -1;
    expect([at(95, 200), at(288, 200), at(200, 95), at(200, 288), at(0, 0)]).toEqual([128, 128, 128, 128, 128]);
    expect([at(96, 96), at(287, 287), at(200, 200)]).toEqual([200, 200, 200]);
  });

  it('repeats edge pixels with padValue "edge"', () => {
    const crop = grayImage(48, 48, (x) => (x < 24 ? 10 : 250));
    const { image } = fitForDetection(crop, { minSide: 96, pad: 0.25, padValue: 'edge' });
    expect(image.width).toBe(144);
    expect(image.data[70 * 144 + 0]).toBe(10);
    expect(image.data[70 * 144 + 143]).toBe(250);
  });

  it('keeps colour channels', () => {
    const data = new Uint8Array(40 * 30 * 3);
    for (let i = 0; i < 40 * 30; i++) data.set([255, 0, 0], 3 * i);
    const { image } = fitForDetection({ data, width: 40, height: 30, channels: 3 }, { minSide: 80, pad: 0, padValue: 0 });
    expect(image).toMatchObject({ width: 80, height: 80, channels: 3 });
    const rgb = (x: number, y: number): number[] => [0, 1, 2].map((c) => image.data[3 * (y * 80 + x) + c] ?? -1);
    expect(rgb(0, 0)).toEqual([255, 0, 0]);
    // Below the 40x30 image (rows 60..79 of the 80x80 square) is the constant border.
    expect(rgb(10, 70)).toEqual([0, 0, 0]);
  });
});

describe('toSourceBox', () => {
  it('maps boxes in the fitted image back to source pixels', () => {
    const fitted = fitForDetection(
      grayImage(48, 48, () => 0),
      { minSide: 192, pad: 0.5, padValue: 128 },
    );
    // The fitted image's crop area (96..288) is the whole source image.
    expect(toSourceBox({ x: 96, y: 96, width: 192, height: 192, score: 0.9 }, fitted)).toEqual({
      x: 0,
      y: 0,
      width: 48,
      height: 48,
      score: 0.9,
    });
    expect(toSourceBox({ x: 0, y: 0, width: 384, height: 384 }, fitted)).toEqual({ x: -24, y: -24, width: 96, height: 96 });
  });
});
