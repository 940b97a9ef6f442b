import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from '../../src/core/preprocess.ts';
import { REPO_ROOT, createFaceDetector } from './detect-faces.ts';
import type { TrainingFaceDetector } from './detect-faces.ts';

const SHARED = path.resolve(REPO_ROOT, '../shared/datasets');
const SEQUENCE = path.join(SHARED, 'ckplus-sequences/cohn-kanade-images/S052/001');
const CK48_HAPPY = path.join(SHARED, 'ckplus48/CK+48/happy');
const ready = existsSync(SEQUENCE) && existsSync(CK48_HAPPY);
const why = `needs ../shared beside the checkout (${SEQUENCE} and ${CK48_HAPPY})`;

const firstPng = (dir: string): string =>
  path.join(
    dir,
    readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()[0] ?? '',
  );

describe.skipIf(!ready)(`training's face detector (${ready ? 'real CK+ images' : `skipped: ${why}`})`, () => {
  let detector: TrainingFaceDetector;
  beforeAll(async () => {
    detector = await createFaceDetector();
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('finds one face in a CK+ sequence frame, with a plausible box in frame pixels', async () => {
    const [faces] = await detector.detect([firstPng(SEQUENCE)]);
    expect(faces).toHaveLength(1);
    const f = faces?.[0];
    if (!f) throw new Error('no face');
    // 320x245 frame, one frontal face filling about half the frame height, near the middle.
    expect(f.score).toBeGreaterThan(0.8);
    expect(f.x).toBeGreaterThanOrEqual(0);
    expect(f.y).toBeGreaterThanOrEqual(0);
    expect(f.x + f.width).toBeLessThanOrEqual(320);
    expect(f.y + f.height).toBeLessThanOrEqual(245);
    expect(f.height).toBeGreaterThan(0.3 * 245);
    expect(f.height).toBeLessThan(0.8 * 245);
    expect(Math.abs(f.x + f.width / 2 - 160)).toBeLessThan(60);
  });

  it('finds no face in a blank image', async () => {
    const blank: RawImage = { data: new Uint8Array(320 * 245).fill(128), width: 320, height: 245, channels: 1 };
    expect(await detector.detect([blank])).toEqual([[]]);
  });

  it("finds the face of a 48x48 crop (enlarged and framed) and returns its box in the crop's pixels", async () => {
    const [faces] = await detector.detect([firstPng(CK48_HAPPY)]);
    const f = faces?.[0];
    expect(f).toBeDefined();
    // Clipped to the 48x48 image, as the app clips to its frame, and covering most of it.
    expect(f!.x).toBeGreaterThanOrEqual(0);
    expect(f!.x + f!.width).toBeLessThanOrEqual(48);
    expect(f!.width).toBeGreaterThan(30);
  });

  it('keeps results in input order', async () => {
    const frame = firstPng(SEQUENCE);
    const blank: RawImage = { data: new Uint8Array(64 * 64).fill(0), width: 64, height: 64, channels: 1 };
    const inputs = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? blank : frame));
    const faces = await detector.detect(inputs);
    expect(faces.map((f) => f.length)).toEqual(inputs.map((x) => (x === blank ? 0 : 1)));
  });
});
