import { readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readImage } from '../data/decode.ts';
import { makeTempDir, writeGrayPng } from '../data/fixtures.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { brightBoxDetector } from '../testing/bright-box-detector.ts';
import { attachFaceBoxes } from './box-cache.ts';

const never = async (): Promise<never> => {
  throw new Error('the detector must not start on a cache hit');
};

function square(x: number, y: number, side: number) {
  return (px: number, py: number): number => (px >= x && px < x + side && py >= y && py < y + side ? 255 : 20);
}

describe('attachFaceBoxes', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  function dataset(dir: string): Dataset {
    const samples: Sample[] = ['a.png', 'b.png', 'blank.png', 'given.png'].map((f) => ({ id: f, source: path.join(dir, f) }));
    samples[3]!.faceBox = { x: 1, y: 1, width: 2, height: 2 };
    return { name: 'test-frames', samples, loadImage: (s) => readImage(s.source) };
  }

  /** The four images all with the same bright square, in a fresh folder with its own cache folder. */
  function sameFaceEverywhere(): { images: string; cacheDir: string } {
    const tmp = makeTempDir('box-cache');
    cleanup = tmp.cleanup;
    const images = path.join(tmp.dir, 'images');
    for (const f of ['a.png', 'b.png', 'blank.png', 'given.png']) writeGrayPng(path.join(images, f), 40, 30, square(5, 6, 10));
    return { images, cacheDir: path.join(tmp.dir, 'cache') };
  }

  it('detects once, then serves identical boxes from the cache without starting the detector', async () => {
    const tmp = makeTempDir('box-cache');
    cleanup = tmp.cleanup;
    const images = path.join(tmp.dir, 'images');
    writeGrayPng(path.join(images, 'a.png'), 40, 30, square(5, 6, 10));
    writeGrayPng(path.join(images, 'b.png'), 40, 30, square(20, 3, 12));
    writeGrayPng(path.join(images, 'blank.png'), 40, 30, () => 20);
    writeGrayPng(path.join(images, 'given.png'), 40, 30, square(0, 0, 40));
    const cacheDir = path.join(tmp.dir, 'cache');
    const log = { calls: 0, images: 0 };

    const first = dataset(images);
    const r1 = await attachFaceBoxes(first, { cacheDir, createDetector: brightBoxDetector(log) });
    expect(r1).toMatchObject({ alreadyBoxed: 1, fromCache: 0, detected: 3 });
    expect(r1.noFace.map((s) => s.id)).toEqual(['blank.png']);
    expect(first.samples.map((s) => s.faceBox)).toEqual([
      { x: 5, y: 6, width: 10, height: 10 },
      { x: 20, y: 3, width: 12, height: 12 },
      undefined,
      { x: 1, y: 1, width: 2, height: 2 },
    ]);
    expect(log).toEqual({ calls: 1, images: 3 });
    expect(JSON.parse(readFileSync(r1.cacheFile, 'utf8'))).toMatchObject({ dataset: 'test-frames', version: 2 });

    const second = dataset(images);
    const r2 = await attachFaceBoxes(second, { cacheDir, createDetector: never });
    expect(r2).toMatchObject({ cacheFile: r1.cacheFile, fromCache: 3, detected: 0 });
    expect(r2.noFace.map((s) => s.id)).toEqual(['blank.png']);
    expect(second.samples.map((s) => s.faceBox)).toEqual(first.samples.map((s) => s.faceBox));
  });

  it("keeps the face's roll with its box, fresh and from the cache", async () => {
    const { images, cacheDir } = sameFaceEverywhere();
    const bright = brightBoxDetector();
    const tilted = async () => {
      const d = await bright();
      return {
        ...d,
        detect: async (imgs: Parameters<typeof d.detect>[0]) =>
          (await d.detect(imgs)).map((faces) => faces.map((f) => ({ ...f, roll: 0.25 }))),
      };
    };
    const first = dataset(images);
    await attachFaceBoxes(first, { cacheDir, createDetector: tilted });
    expect(first.samples[0]?.faceBox).toEqual({ x: 5, y: 6, width: 10, height: 10, roll: 0.25 });
    const second = dataset(images);
    await attachFaceBoxes(second, { cacheDir, createDetector: never });
    expect(second.samples[0]?.faceBox).toEqual({ x: 5, y: 6, width: 10, height: 10, roll: 0.25 });
  });

  it('detects again only the files whose size or modification time changed', async () => {
    const { images, cacheDir } = sameFaceEverywhere();
    await attachFaceBoxes(dataset(images), { cacheDir, createDetector: brightBoxDetector({ calls: 0, images: 0 }) });

    writeGrayPng(path.join(images, 'b.png'), 40, 30, square(20, 3, 12));
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(images, 'b.png'), later, later);
    const log = { calls: 0, images: 0 };
    const ds = dataset(images);
    const r = await attachFaceBoxes(ds, { cacheDir, createDetector: brightBoxDetector(log) });
    expect(r).toMatchObject({ fromCache: 2, detected: 1 });
    expect(log.images).toBe(1);
    expect(ds.samples[1]?.faceBox).toEqual({ x: 20, y: 3, width: 12, height: 12 });
  });

  it('names the file when a source is missing', async () => {
    const tmp = makeTempDir('box-cache');
    cleanup = tmp.cleanup;
    await expect(attachFaceBoxes(dataset(tmp.dir), { cacheDir: tmp.dir, createDetector: never })).rejects.toThrow(
      /a\.png: cannot read image/,
    );
  });
});
