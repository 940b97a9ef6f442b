import { describe, expect, test } from 'vitest';
import {
  cropAngle,
  normalise,
  preprocessFace,
  resampleRegion,
  squareCropBox,
  toGray,
  UNIT_NORMALISATION,
  type RawImage,
} from './preprocess.ts';

describe('toGray', () => {
  test('BT.601 luma from RGB and RGBA; gray passes through', () => {
    const rgb: RawImage = { data: [255, 0, 0, 0, 255, 0, 0, 0, 255], width: 3, height: 1, channels: 3 };
    expect(Array.from(toGray(rgb).data)).toEqual([0.299 * 255, 0.587 * 255, 0.114 * 255].map(Math.fround));
    const rgba: RawImage = { data: [10, 20, 30, 0], width: 1, height: 1, channels: 4 };
    expect(toGray(rgba).data[0]).toBeCloseTo(0.299 * 10 + 0.587 * 20 + 0.114 * 30, 4);
    expect(Array.from(toGray({ data: [7, 9], width: 2, height: 1, channels: 1 }).data)).toEqual([7, 9]);
  });
  test('short data is an error naming the expected size', () => {
    expect(() => toGray({ data: [1, 2], width: 2, height: 2, channels: 1 })).toThrow(/expected 4 \(2x2x1\)/);
  });
});

describe('squareCropBox', () => {
  test('square around the centre, larger side grown by the margin on every side', () => {
    expect(squareCropBox({ x: 10, y: 20, width: 40, height: 20 }, 0.25)).toEqual({ x: 0, y: 0, width: 60, height: 60 });
  });
  test('shiftY moves the centre by a fraction of the larger side (negative = up)', () => {
    const b = squareCropBox({ x: 0, y: 100, width: 50, height: 50 }, 0, -0.1);
    expect(b.y).toBeCloseTo(95, 10);
    expect(b.height).toBe(50);
  });
  test('rejects empty boxes and negative margins', () => {
    expect(() => squareCropBox({ x: 0, y: 0, width: 0, height: 5 }, 0)).toThrow(/empty face box/);
    expect(() => squareCropBox({ x: 0, y: 0, width: 5, height: 5 }, -1)).toThrow(/margin/);
  });
});

describe('resampleRegion', () => {
  const ramp = { data: Float32Array.from({ length: 16 }, (_, i) => i), width: 4, height: 4 };
  test('identity when the region is the image at its own size', () => {
    expect(Array.from(resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 4))).toEqual(Array.from(ramp.data));
  });
  test('downscaling averages the pixels under each output pixel (area)', () => {
    // 2x2 blocks of the 4x4 ramp: (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, ...
    expect(Array.from(resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
  });
  test('upscaling interpolates bilinearly; outside the image repeats the edge', () => {
    const two = { data: Float32Array.from([0, 10]), width: 2, height: 1 };
    expect(Array.from(resampleRegion(two, { x: 0, y: 0, width: 2, height: 1 }, 4)).slice(0, 4)).toEqual([0, 2.5, 7.5, 10]);
    const out = resampleRegion(ramp, { x: -4, y: -4, width: 4, height: 4 }, 2);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });
  test('size must be a positive integer', () => {
    expect(() => resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 0)).toThrow(/positive integer/);
    expect(() => resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 2, Number.NaN)).toThrow(/angle/);
  });
  test('a quarter turn reads the image columns as rows (bilinear and area paths)', () => {
    // Output x runs along +90 degrees (down the source), output y along -x (right to left): out[oy][ox] = src[ox][3 - oy].
    const turned = Array.from(resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 4, Math.PI / 2));
    const expected = Array.from({ length: 16 }, (_, i) => ramp.data[(i % 4) * 4 + (3 - Math.floor(i / 4))]!);
    turned.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    const half = Array.from(resampleRegion(ramp, { x: 0, y: 0, width: 4, height: 4 }, 2, Math.PI / 2));
    // 2x2 blocks of the turned ramp (rows 3 7 11 15 / 2 6 10 14 / 1 5 9 13 / 0 4 8 12).
    [4.5, 12.5, 2.5, 10.5].forEach((v, i) => expect(half[i]).toBeCloseTo(v, 4));
  });
  test('a turned crop keeps its centre: a symmetric blob stays put', () => {
    const n = 32;
    const blob = {
      data: Float32Array.from({ length: n * n }, (_, i) => Math.exp(-((((i % n) - 15.5) ** 2 + (Math.floor(i / n) - 15.5) ** 2) / 20))),
      width: n,
      height: n,
    };
    const straight = resampleRegion(blob, { x: 4, y: 4, width: 24, height: 24 }, 12);
    const turned = resampleRegion(blob, { x: 4, y: 4, width: 24, height: 24 }, 12, 0.7);
    const maxDiff = Math.max(...Array.from(turned, (v, i) => Math.abs(v - straight[i]!)));
    expect(maxDiff).toBeLessThan(0.08);
  });
});

describe('cropAngle', () => {
  test('the face roll when the spec levels the eyes, else 0', () => {
    const face = { x: 0, y: 0, width: 10, height: 10, roll: 0.3 };
    expect(cropAngle({ levelEyes: true }, face)).toBe(0.3);
    expect(cropAngle({ levelEyes: false }, face)).toBe(0);
    expect(cropAngle({}, face)).toBe(0);
    expect(cropAngle({ levelEyes: true }, { x: 0, y: 0, width: 10, height: 10 })).toBe(0);
    expect(cropAngle({ levelEyes: true })).toBe(0);
  });
  test('a dead band keeps small rolls upright and turns larger ones by the excess, continuously', () => {
    const deg = Math.PI / 180;
    const at = (rollDeg: number) =>
      cropAngle({ levelEyes: true, levelDeadband: 5 }, { x: 0, y: 0, width: 10, height: 10, roll: rollDeg * deg }) / deg;
    expect(at(3)).toBe(0);
    expect(at(-5)).toBe(0);
    expect(at(8)).toBeCloseTo(3, 10);
    expect(at(-20)).toBeCloseTo(-15, 10);
    expect(at(5.001)).toBeCloseTo(0.001, 6);
  });
});

describe('preprocessFace', () => {
  test('the whole pipeline: gray, crop around the face, resample, /255', () => {
    // 8x8 RGB: a bright 4x4 square (the "face") on black.
    const data = new Uint8Array(8 * 8 * 3);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) data.fill(200, (y * 8 + x) * 3, (y * 8 + x) * 3 + 3);
    const img: RawImage = { data, width: 8, height: 8, channels: 3 };
    const tight = preprocessFace(img, { size: 2, margin: 0, normalisation: UNIT_NORMALISATION }, { x: 2, y: 2, width: 4, height: 4 });
    tight.forEach((v) => expect(v).toBeCloseTo(200 / 255, 5));
    const wide = preprocessFace(img, { size: 2, margin: 0.5, normalisation: UNIT_NORMALISATION }, { x: 2, y: 2, width: 4, height: 4 });
    // With margin 0.5 the crop is the whole 8x8 image: each quadrant is a quarter bright.
    wide.forEach((v) => expect(v).toBeCloseTo(200 / 255 / 4, 5));
  });
  test('levelEyes turns the crop by the face roll: a tilted bar comes out level', () => {
    // A bright bar through the centre of a 40x40 image at 0.35 rad (the line of the eyes of a tilted face).
    const n = 40;
    const angle = 0.35;
    const data = new Uint8Array(n * n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const d = -(x + 0.5 - 20) * Math.sin(angle) + (y + 0.5 - 20) * Math.cos(angle);
        data[y * n + x] = Math.abs(d) < 2 ? 255 : 0;
      }
    const img: RawImage = { data, width: n, height: n, channels: 1 };
    const face = { x: 10, y: 10, width: 20, height: 20, roll: angle };
    const spec = { size: 20, margin: 0, normalisation: UNIT_NORMALISATION };
    const rowProfile = (px: Float32Array) =>
      Array.from({ length: 20 }, (_, r) => px.slice(r * 20 + 2, r * 20 + 18).reduce((a, b) => a + b, 0) / 16);
    const level = rowProfile(preprocessFace(img, { ...spec, levelEyes: true }, face));
    const tilted = rowProfile(preprocessFace(img, spec, face));
    // Level: the middle rows are bright all along, the others dark. Unlevelled: the bar crosses many rows, none bright along.
    expect(Math.max(...level)).toBeGreaterThan(0.95);
    expect(level.filter((v) => v > 0.5)).toHaveLength(4);
    expect(Math.max(...tilted)).toBeLessThan(0.75);
  });
  test('without a face box the whole image is the crop', () => {
    const img: RawImage = { data: new Uint8Array(16).fill(51), width: 4, height: 4, channels: 1 };
    expect(Array.from(preprocessFace(img, { size: 2, margin: 0.3, normalisation: UNIT_NORMALISATION }))).toEqual(
      [0.2, 0.2, 0.2, 0.2].map(Math.fround),
    );
  });
  test('normalise applies scale and offset in place', () => {
    const a = Float32Array.from([0, 127.5, 255]);
    expect(Array.from(normalise(a, { scale: 1 / 127.5, offset: -1 }))).toEqual([-1, 0, 1]);
  });
});
