import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadImageFolder, parseCkPlusName } from './image-folder.ts';
import { makeTempDir, writeGrayPng, writeJpeg, writeText } from './fixtures.ts';

const tmp = makeTempDir('imagefolder');
afterAll(tmp.cleanup);

test('parseCkPlusName', () => {
  expect(parseCkPlusName('S005_001_00000011.png')).toEqual({ subject: 'S005', sequence: 'S005_001', frameIndex: 11 });
  expect(parseCkPlusName('im123.jpg')).toBeUndefined();
});

describe('loadImageFolder', () => {
  test('class from the folder name (aliases and case), CK+ ids from the file name', async () => {
    const root = path.join(tmp.dir, 'good');
    writeGrayPng(path.join(root, 'Angry', 'S010_004_00000017.png'), 3, 3, () => 1);
    writeJpeg(path.join(root, 'happy', 'im0.jpg'), 8, 8, () => 200);
    writeText(path.join(root, 'happy', '.DS_Store'), 'x');
    const ds = await loadImageFolder(root);
    expect(ds.samples.map((s) => [s.id, s.label, s.subject, s.frameIndex])).toEqual([
      ['Angry/S010_004_00000017.png', 'anger', 'S010', 17],
      ['happy/im0.jpg', 'happy', undefined, undefined],
    ]);
    expect((await ds.loadImage(ds.samples[1]!)).width).toBe(8);
  });

  test('unknown class folder, stray files, empty and missing roots are errors', async () => {
    const unknown = path.join(tmp.dir, 'unknown');
    writeGrayPng(path.join(unknown, 'boredom', 'a.png'), 2, 2, () => 0);
    await expect(loadImageFolder(unknown)).rejects.toThrow(/boredom: unknown class folder "boredom"/);
    const stray = path.join(tmp.dir, 'stray');
    writeText(path.join(stray, 'sad', 'notes.txt'), 'x');
    await expect(loadImageFolder(stray)).rejects.toThrow(/notes\.txt: not an image file/);
    const empty = path.join(tmp.dir, 'empty');
    writeText(path.join(empty, 'README'), 'x');
    await expect(loadImageFolder(empty)).rejects.toThrow(/empty split: no class folders/);
    await expect(loadImageFolder(path.join(tmp.dir, 'nowhere'))).rejects.toThrow(/nowhere: image dataset folder not found/);
    const bad = path.join(tmp.dir, 'bad');
    writeText(path.join(bad, 'fear', 'x.png'), 'not a png');
    const ds = await loadImageFolder(bad);
    await expect(ds.loadImage(ds.samples[0]!)).rejects.toThrow(/x\.png: unreadable image/);
  });
});

const ck48 = path.resolve(import.meta.dirname, '../../../shared/datasets/ckplus48/CK+48');
describe.skipIf(!existsSync(ck48))('loadImageFolder on CK+48 (needs ../shared/datasets/ckplus48)', () => {
  test('981 images in 7 classes, 118 subjects, every image named with a subject', async () => {
    const ds = await loadImageFolder(ck48);
    const files = readdirSync(ck48).reduce((n, d) => n + readdirSync(path.join(ck48, d)).length, 0);
    expect(ds.samples.length).toBe(files);
    expect(ds.samples.length).toBe(981);
    expect(new Set(ds.samples.map((s) => s.label)).size).toBe(7);
    expect(ds.samples.every((s) => s.subject !== undefined)).toBe(true);
    expect(new Set(ds.samples.map((s) => s.subject)).size).toBe(118);
    const img = await ds.loadImage(ds.samples[0]!);
    expect([img.width, img.height, img.channels]).toEqual([48, 48, 1]);
  });
});
