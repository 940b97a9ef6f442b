import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeImage, readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { makeTempDir, writeGrayPng, writeJpeg, writeRgbPng, writeTiff } from './fixtures.ts';

const shared = path.resolve(import.meta.dirname, '../../../shared/datasets');
const tmp = makeTempDir('decode');
afterAll(tmp.cleanup);

describe('decodeImage', () => {
  test('gray PNG keeps its exact 8-bit values in one channel', async () => {
    const file = path.join(tmp.dir, 'gray.png');
    writeGrayPng(file, 5, 3, (x, y) => x * 50 + y);
    const img = await readImage(file);
    expect([img.width, img.height, img.channels]).toEqual([5, 3, 1]);
    expect(Array.from(img.data)).toEqual([0, 50, 100, 150, 200, 1, 51, 101, 151, 201, 2, 52, 102, 152, 202]);
  });

  test('RGB PNG has 3 channels', async () => {
    const file = path.join(tmp.dir, 'rgb.png');
    writeRgbPng(file, 2, 1, (x) => [10 + x, 20, 30]);
    const img = await readImage(file);
    expect(img.channels).toBe(3);
    expect(Array.from(img.data)).toEqual([10, 20, 30, 11, 20, 30]);
  });

  test('JPEG decodes to 3 channels close to the written values', async () => {
    const file = path.join(tmp.dir, 'face.jpg');
    writeJpeg(file, 16, 16, () => 128);
    const img = await readImage(file);
    expect([img.width, img.height, img.channels]).toEqual([16, 16, 3]);
    for (const v of Array.from(img.data)) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
  });

  test('palette TIFF with a gray palette becomes gray through the palette', async () => {
    const file = path.join(tmp.dir, 'palette.tiff');
    const grayRamp = Array.from({ length: 256 }, (_, i) => [255 - i, 255 - i, 255 - i] as const);
    writeTiff(file, 3, 2, Uint8Array.from([0, 1, 2, 10, 100, 255]), grayRamp);
    const img = await readImage(file);
    expect([img.width, img.height, img.channels]).toEqual([3, 2, 1]);
    expect(Array.from(img.data)).toEqual([255, 254, 253, 245, 155, 0]);
  });

  test('palette TIFF with colours stays colour', async () => {
    const file = path.join(tmp.dir, 'colour.tiff');
    const palette = Array.from({ length: 256 }, (_, i) => [i, 0, 255 - i] as const);
    writeTiff(file, 2, 1, Uint8Array.from([5, 200]), palette);
    const img = await readImage(file);
    expect(img.channels).toBe(3);
    expect(Array.from(img.data)).toEqual([5, 0, 250, 200, 0, 55]);
  });

  test('BlackIsZero gray TIFF', async () => {
    const file = path.join(tmp.dir, 'gray.tiff');
    writeTiff(file, 2, 2, Uint8Array.from([7, 8, 9, 10]));
    const img = await readImage(file);
    expect(img.channels).toBe(1);
    expect(Array.from(img.data)).toEqual([7, 8, 9, 10]);
  });

  test('unreadable bytes and missing files name the file', async () => {
    expect(() => decodeImage(Uint8Array.from([1, 2, 3, 4]), 'x/bad.png')).toThrow(/x\/bad\.png: unreadable image/);
    const truncated = readFileSync(path.join(tmp.dir, 'gray.png')).subarray(0, 30);
    expect(() => decodeImage(truncated, 'cut.png')).toThrow(DatasetError);
    await expect(readImage(path.join(tmp.dir, 'nope.png'))).rejects.toThrow(/nope\.png: cannot read image/);
  });
});

const jaffe = path.join(shared, 'jaffe-sample');
describe.skipIf(!existsSync(jaffe))('decodeImage on real JAFFE files (needs ../shared/datasets/jaffe-sample)', () => {
  test('the palette-mode and the plain gray file both decode to 256x256 gray faces', async () => {
    for (const name of ['KA.AN1.39.tiff', 'KA.AN2.40.tiff']) {
      const img = await readImage(path.join(jaffe, name));
      expect([img.width, img.height, img.channels]).toEqual([256, 256, 1]);
      let sum = 0;
      for (const v of Array.from(img.data)) sum += v;
      const mean = sum / img.data.length;
      expect(mean).toBeGreaterThan(40);
      expect(mean).toBeLessThan(220);
    }
  });
});
