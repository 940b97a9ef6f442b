import { describe, expect, test } from 'vitest';
import { createRng } from '../util/rng.ts';
import { applyTransform, augment, drawTransform, flipHorizontal, NO_AUGMENT, PAPER_AUGMENT, type AugmentTransform } from './augment.ts';

const SIZE = 48;

/** A deterministic image with structure in both axes (no symmetry a flip or transpose could hide). */
function testImage(size = SIZE): Float32Array {
  const img = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) img[y * size + x] = (x * 7 + y * 3 + ((x * y) % 11) * 5) % 256;
  return img;
}

const IDENTITY: AugmentTransform = { rotationRad: 0, shiftX: 0, shiftY: 0, shearRad: 0, zoomX: 1, zoomY: 1, flip: false, brightness: 1 };

describe('augment', () => {
  test('is the identity when every range is zero', () => {
    const img = testImage();
    expect(augment(img, SIZE, createRng(1), NO_AUGMENT)).toEqual(img);
  });

  test('a forced flip mirrors the image, and flipping twice gives it back', () => {
    const img = testImage();
    const flipped = augment(img, SIZE, createRng(2), { ...NO_AUGMENT, flipProbability: 1 });
    expect(flipped).toEqual(flipHorizontal(img, SIZE));
    expect(flipped).not.toEqual(img);
    expect(flipped[0]).toBe(img[SIZE - 1]);
    expect(flipHorizontal(flipped, SIZE)).toEqual(img);
  });

  test('a whole-pixel shift moves the content and fills the border by reflection', () => {
    const img = testImage();
    const out = applyTransform(img, SIZE, { ...IDENTITY, shiftX: 2 }, [0, 255]);
    // Output column x samples input column x - 2; columns -1, -2 reflect to 0, 1 (scipy 'reflect').
    for (const y of [0, 17, SIZE - 1]) {
      expect(out[y * SIZE + 10]).toBe(img[y * SIZE + 8]);
      expect(out[y * SIZE + 0]).toBe(img[y * SIZE + 1]);
      expect(out[y * SIZE + 1]).toBe(img[y * SIZE + 0]);
    }
  });

  test('a 90-degree rotation of a square image permutes its pixels exactly', () => {
    const img = testImage();
    const out = applyTransform(img, SIZE, { ...IDENTITY, rotationRad: Math.PI / 2 }, [0, 255]);
    // Output (x, y) samples input at c + R(90)(p - c): (x', y') = (c - (y - c), c + (x - c)) = (S-1-y, x).
    for (const [x, y] of [
      [0, 0],
      [5, 40],
      [47, 3],
      [20, 20],
    ] as const) {
      expect(out[y * SIZE + x]).toBeCloseTo(img[x * SIZE + (SIZE - 1 - y)] ?? NaN, 3);
    }
  });

  test('the same seed gives the same output; consecutive calls draw different transforms', () => {
    const img = testImage();
    const a = createRng(42);
    const b = createRng(42);
    const a1 = augment(img, SIZE, a);
    const a2 = augment(img, SIZE, a);
    expect(augment(img, SIZE, b)).toEqual(a1);
    expect(augment(img, SIZE, b)).toEqual(a2);
    expect(a2).not.toEqual(a1);
  });

  test('brightness stays inside its range and the result is clipped to the value range', () => {
    const flat = new Float32Array(SIZE * SIZE).fill(100);
    const rng = createRng(7);
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const out = augment(flat, SIZE, rng, { ...NO_AUGMENT, brightness: [0.5, 1.5] });
      const v = out[0] ?? NaN;
      expect(out.every((p) => p === v)).toBe(true);
      seen.push(v / 100);
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...seen)).toBeLessThan(1.5);
    // 200 uniform draws cover most of the range.
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(0.9);
    const bright = augment(new Float32Array(SIZE * SIZE).fill(250), SIZE, createRng(8), { ...NO_AUGMENT, brightness: [1.2, 1.2] });
    expect(Math.max(...bright)).toBe(255);
  });

  test('drawn parameters respect the paper ranges', () => {
    const rng = createRng(3);
    for (let i = 0; i < 500; i++) {
      const t = drawTransform(rng, SIZE, PAPER_AUGMENT);
      expect(Math.abs(t.rotationRad)).toBeLessThanOrEqual((15 * Math.PI) / 180);
      expect(Math.abs(t.shiftX)).toBeLessThanOrEqual(0.1 * SIZE);
      expect(Math.abs(t.shiftY)).toBeLessThanOrEqual(0.1 * SIZE);
      expect(Math.abs(t.shearRad)).toBeLessThanOrEqual((0.01 * Math.PI) / 180);
      for (const z of [t.zoomX, t.zoomY]) {
        expect(z).toBeGreaterThanOrEqual(0.9);
        expect(z).toBeLessThanOrEqual(1.25);
      }
    }
  });

  test('with the paper ranges the output keeps the size and value range, and the input is untouched', () => {
    // Its speed (microseconds per 48x48 image) is a benchmark figure: npm run bench:train prints it.
    const img = testImage();
    const copy = Float32Array.from(img);
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) {
      const out = augment(img, SIZE, rng);
      expect(out).not.toBe(img);
      expect(out.length).toBe(SIZE * SIZE);
      expect(out.every((v) => Number.isFinite(v) && v >= 0 && v <= 255)).toBe(true);
    }
    expect(img).toEqual(copy);
  });

  test('rejects a pixel array of the wrong size', () => {
    expect(() => augment(new Float32Array(10), SIZE, createRng(1))).toThrow(/expected 48x48 = 2304 pixels, got 10/);
  });
});
