import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadJaffe } from './jaffe.ts';
import { makeTempDir, writeText, writeTiff } from './fixtures.ts';

const tmp = makeTempDir('jaffe');
afterAll(tmp.cleanup);

const grayRamp = Array.from({ length: 256 }, (_, i) => [i, i, i] as const);

describe('loadJaffe', () => {
  test('subject and class from the name; palette and plain gray TIFFs both load as gray', async () => {
    const root = path.join(tmp.dir, 'good');
    writeTiff(path.join(root, 'KA.AN1.39.tiff'), 2, 2, Uint8Array.from([1, 2, 3, 4]), grayRamp);
    writeTiff(path.join(root, 'YM.SU2.59.tiff'), 2, 2, Uint8Array.from([9, 9, 9, 9]));
    writeText(path.join(root, 'README.txt'), 'about');
    const ds = await loadJaffe(root);
    expect(ds.samples.map((s) => [s.id, s.subject, s.label])).toEqual([
      ['KA.AN1.39.tiff', 'KA', 'anger'],
      ['YM.SU2.59.tiff', 'YM', 'surprise'],
    ]);
    const palette = await ds.loadImage(ds.samples[0]!);
    expect([palette.channels, ...Array.from(palette.data)]).toEqual([1, 1, 2, 3, 4]);
  });

  test('unknown codes, odd names and empty folders are errors', async () => {
    const code = path.join(tmp.dir, 'code');
    writeTiff(path.join(code, 'KA.XX1.1.tiff'), 1, 1, Uint8Array.from([0]));
    await expect(loadJaffe(code)).rejects.toThrow(/KA\.XX1\.1\.tiff: unknown class: expression code "XX"/);
    const odd = path.join(tmp.dir, 'odd');
    writeTiff(path.join(odd, 'face.tiff'), 1, 1, Uint8Array.from([0]));
    await expect(loadJaffe(odd)).rejects.toThrow(/face\.tiff: name does not match/);
    const empty = path.join(tmp.dir, 'empty');
    writeText(path.join(empty, 'README'), 'x');
    await expect(loadJaffe(empty)).rejects.toThrow(/empty split/);
  });
});

const real = path.resolve(import.meta.dirname, '../../../shared/datasets/jaffe-sample');
describe.skipIf(!existsSync(real))('loadJaffe on the JAFFE sample (needs ../shared/datasets/jaffe-sample)', () => {
  test('23 images of subject KA in 7 classes, all decodable as 256x256 gray', async () => {
    const ds = await loadJaffe(real);
    expect(ds.samples.length).toBe(23);
    expect(new Set(ds.samples.map((s) => s.subject))).toEqual(new Set(['KA']));
    expect(new Set(ds.samples.map((s) => s.label)).size).toBe(7);
    for (const s of ds.samples) {
      const img = await ds.loadImage(s);
      expect([img.width, img.height, img.channels], s.id).toEqual([256, 256, 1]);
    }
  });
});
