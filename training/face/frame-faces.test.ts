import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FACE_CROP_MARGIN, FACE_CROP_SHIFT_Y } from '../config/default-crop.ts';
import { squareCropBox, type RawImage } from '../../src/core/preprocess.ts';
import { readImage } from '../data/decode.ts';
import { makeTempDir, writeGrayPng } from '../data/fixtures.ts';
import { loadJaffe } from '../data/jaffe.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { brightBoxDetector } from '../testing/bright-box-detector.ts';
import { REPO_ROOT } from './detect-faces.ts';
import { cropRegion, croppedToFaces, detectsFaces, frameFaces, parseFaceFraming } from './frame-faces.ts';

describe('cropRegion', () => {
  const image: RawImage = { width: 4, height: 3, channels: 3, data: Array.from({ length: 36 }, (_, i) => i) };
  const px = (img: RawImage, x: number, y: number): number[] =>
    Array.from({ length: img.channels }, (_, c) => img.data[(y * img.width + x) * img.channels + c] ?? NaN);

  it('copies the region inside the image, every channel', () => {
    const out = cropRegion(image, { x: 1, y: 1, width: 2, height: 2 });
    expect([out.width, out.height, out.channels]).toEqual([2, 2, 3]);
    expect(px(out, 0, 0)).toEqual(px(image, 1, 1));
    expect(px(out, 1, 1)).toEqual(px(image, 2, 2));
  });

  it('repeats edge pixels past the border and rounds outward to whole pixels', () => {
    const out = cropRegion(image, { x: -1.5, y: -0.5, width: 2, height: 1 });
    // x from -2 to 1 (3 columns after rounding out: -2, -1, 0), y from -1 to 0 (2 rows).
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(px(out, 0, 0)).toEqual(px(image, 0, 0));
    expect(px(out, 2, 1)).toEqual(px(image, 0, 0));
    const right = cropRegion(image, { x: 3, y: 2, width: 3, height: 3 });
    expect(px(right, 2, 2)).toEqual(px(image, 3, 2));
  });
});

describe('face framing options', () => {
  it('detects faces in whole-frame layouts only under auto', () => {
    expect(detectsFaces('jaffe', 'auto')).toBe(true);
    expect(detectsFaces('ckplus', 'auto')).toBe(true);
    expect(detectsFaces('image-folder', 'auto')).toBe(false);
    expect(detectsFaces('ferplus', 'auto')).toBe(false);
    expect(detectsFaces('image-folder', 'detect')).toBe(true);
    expect(detectsFaces('jaffe', 'whole')).toBe(false);
  });

  it('parses --faces and refuses anything else', () => {
    expect(parseFaceFraming(undefined)).toBe('auto');
    expect(parseFaceFraming('whole')).toBe('whole');
    expect(() => parseFaceFraming('crop')).toThrow(/--faces must be one of auto, detect, whole/);
  });
});

describe('frameFaces', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('keeps the images with a face, counts the others, and crops each with the crop it is given', async () => {
    const tmp = makeTempDir('frame-faces');
    cleanup = tmp.cleanup;
    writeGrayPng(path.join(tmp.dir, 'face.png'), 60, 50, (x, y) => (x >= 20 && x < 40 && y >= 10 && y < 30 ? 255 : 30));
    writeGrayPng(path.join(tmp.dir, 'blank.png'), 60, 50, () => 30);
    const samples: Sample[] = ['face.png', 'blank.png'].map((f) => ({ id: f, source: path.join(tmp.dir, f), label: 'happy' }));
    const ds: Dataset = { name: 'frames', samples, loadImage: (s) => readImage(s.source) };

    // Not the app's default crop: the one passed is the one used.
    const faceCrop = { margin: 0.25, shiftY: -0.2 };
    const framed = await frameFaces(ds, faceCrop, { cacheDir: path.join(tmp.dir, 'cache'), createDetector: brightBoxDetector() });
    expect(framed.noFace).toBe(1);
    expect(framed.dataset.samples.map((s) => s.id)).toEqual(['face.png']);
    expect(framed.framing).toContain('1 of 2 images without a face left out');
    expect(framed.framing).toContain('margin 0.25, shift -0.2');

    const crop = await croppedToFaces(framed.dataset, faceCrop).loadImage(framed.dataset.samples[0]!);
    const region = squareCropBox({ x: 20, y: 10, width: 20, height: 20 }, faceCrop.margin, faceCrop.shiftY);
    expect(crop.width).toBe(Math.ceil(region.x + region.width) - Math.floor(region.x));
    expect(crop.height).toBe(Math.ceil(region.y + region.height) - Math.floor(region.y));
    expect(crop.width).toBe(crop.height);
    // The bright square fills the crop's middle; the margin shows the darker surround.
    const at = (x: number, y: number): number => crop.data[(y * crop.width + x) * crop.channels] ?? NaN;
    expect(at(Math.floor(crop.width / 2), Math.floor(crop.height / 2))).toBe(255);
    expect(at(0, crop.height - 1)).toBe(30);
  });
});

const JAFFE = path.resolve(REPO_ROOT, '../shared/datasets/jaffe-sample');
const realReady = existsSync(JAFFE);
const realWhy = `needs ${JAFFE} (../shared beside the checkout)`;

describe.skipIf(!realReady)(`frameFaces on real JAFFE portraits (${realReady ? 'the app detector' : `skipped: ${realWhy}`})`, () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('finds the face in every JAFFE image of the sample, and the crop is the middle of the portrait', async () => {
    const tmp = makeTempDir('frame-jaffe');
    cleanup = tmp.cleanup;
    const jaffe = await loadJaffe(JAFFE);
    const framed = await frameFaces(jaffe, { margin: FACE_CROP_MARGIN, shiftY: FACE_CROP_SHIFT_Y }, { cacheDir: tmp.dir });
    expect(framed.noFace).toBe(0);
    expect(framed.dataset.samples).toHaveLength(jaffe.samples.length);
    for (const s of framed.dataset.samples) {
      const box = s.faceBox!;
      // 256x256 portraits, one face filling roughly the middle half.
      expect(box.width, s.id).toBeGreaterThan(80);
      expect(box.width, s.id).toBeLessThan(200);
      expect(Math.abs(box.x + box.width / 2 - 128), s.id).toBeLessThan(40);
    }
  }, 120_000);
});
