import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, writeGrayPng, writeJpeg, writeText, writeTiff } from './fixtures.ts';
import { detectLayout, openDatasets } from './open.ts';
import type { Layout } from './open.ts';

const tmp = makeTempDir('open');
afterAll(tmp.cleanup);

describe('detectLayout / openDatasets', () => {
  test('each layout is recognised from its files and opens with every split', async () => {
    const d = (name: string): string => path.join(tmp.dir, name);
    writeGrayPng(path.join(d('ferplus'), 'data', 'FER2013Train', 'fer0000000.png'), 2, 2, () => 0);
    writeText(path.join(d('ferplus'), 'data', 'FER2013Train', 'label.csv'), 'fer0000000.png,"(0, 0, 48, 48)",0,10,0,0,0,0,0,0,0,0\n');
    writeText(d('fer2013.csv'), `emotion,pixels,Usage\n3,${new Array(4).fill(1).join(' ')},Training\n`);
    writeGrayPng(path.join(d('kaggle'), 'train', 'angry', 'a.png'), 2, 2, () => 0);
    writeGrayPng(path.join(d('kaggle'), 'test', 'happy', 'b.png'), 2, 2, () => 0);
    writeGrayPng(path.join(d('classes'), 'fear', 'a.png'), 2, 2, () => 0);
    writeGrayPng(path.join(d('ckplus'), 'cohn-kanade-images', 'S001', '001', 'S001_001_00000001.png'), 2, 2, () => 0);
    writeText(path.join(d('ckplus'), 'Emotion', 'S001', '001', 'S001_001_00000001_emotion.txt'), '5\n');
    writeTiff(path.join(d('jaffe'), 'KA.HA1.29.tiff'), 1, 1, Uint8Array.from([3]));
    writeGrayPng(path.join(d('afew'), '001', '00000.png'), 2, 2, () => 0);
    writeText(path.join(d('afew'), '001', '001.json'), JSON.stringify({ frames: { '00000': { valence: 1, arousal: 2 } } }));
    writeJpeg(path.join(d('affwild2'), 'cropped_aligned', 'v1', '00001.jpg'), 4, 4, () => 0);
    writeText(path.join(d('affwild2'), 'VA_Set', 'Train_Set', 'v1.txt'), 'valence,arousal\n0.1,0.2\n');

    const expected: [string, Layout, string[]][] = [
      ['ferplus', 'ferplus', ['ferplus/train']],
      ['fer2013.csv', 'fer2013-csv', ['fer2013-csv/train']],
      ['kaggle', 'image-folder', ['image-folder/test', 'image-folder/train']],
      ['classes', 'image-folder', ['image-folder/classes']],
      ['ckplus', 'ckplus', ['ckplus']],
      ['jaffe', 'jaffe', ['jaffe']],
      ['afew', 'afew-va', ['afew-va']],
      ['affwild2', 'affwild2', ['affwild2/train']],
    ];
    for (const [name, layout, names] of expected) {
      expect(await detectLayout(d(name)), name).toBe(layout);
      if (layout === 'ferplus') continue; // valid/test folders are absent in this fixture
      expect(
        (await openDatasets(d(name))).map((ds) => ds.name),
        name,
      ).toEqual(names);
    }
    await expect(openDatasets(d('ferplus'))).rejects.toThrow(/FER2013Valid: FER\+ valid split folder not found/);
    writeText(path.join(d('other'), 'notes.md'), 'x');
    await expect(detectLayout(d('other'))).rejects.toThrow(/other: unknown dataset layout/);
  });
});

const shared = path.resolve(import.meta.dirname, '../../../shared/datasets');
describe.skipIf(!existsSync(shared))('detectLayout on the real datasets (needs ../shared/datasets)', () => {
  test('every shared dataset folder is recognised', async () => {
    const want: Record<string, Layout> = {
      ferplus: 'ferplus',
      ckplus48: 'image-folder',
      'ckplus-sequences': 'ckplus',
      'jaffe-sample': 'jaffe',
      'afew-va-sample': 'afew-va',
    };
    for (const [dir, layout] of Object.entries(want)) {
      if (existsSync(path.join(shared, dir))) expect(await detectLayout(path.join(shared, dir)), dir).toBe(layout);
    }
  });
});
