import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadFer2013Csv } from './fer2013-csv.ts';
import { makeTempDir, writeText } from './fixtures.ts';

const tmp = makeTempDir('fer2013csv');
afterAll(tmp.cleanup);

const pixels = (f: (i: number) => number): string => Array.from({ length: 48 * 48 }, (_, i) => f(i)).join(' ');

function csv(name: string, rows: string[]): string {
  const file = path.join(tmp.dir, name);
  writeText(file, ['emotion,pixels,Usage', ...rows].join('\r\n') + '\r\n');
  return file;
}

describe('loadFer2013Csv', () => {
  const file = csv('fer2013.csv', [
    `0,${pixels((i) => i % 256)},Training`,
    `3,${pixels(() => 7)},PublicTest`,
    `6,${pixels((i) => 255 - (i % 256))},PrivateTest`,
  ]);

  test('labels from the FER2013 codes, splits from Usage, pixels re-read from the row on demand', async () => {
    const all = await loadFer2013Csv(file);
    expect(all.samples.map((s) => [s.id, s.label])).toEqual([
      ['fer2013.csv#0', 'anger'],
      ['fer2013.csv#1', 'happy'],
      ['fer2013.csv#2', 'neutral'],
    ]);
    const valid = await loadFer2013Csv(file, { split: 'valid' });
    expect(valid.samples.map((s) => s.id)).toEqual(['fer2013.csv#1']);
    const test = await loadFer2013Csv(file, { split: 'test' });
    const img = await test.loadImage(test.samples[0]!);
    expect([img.width, img.height, img.channels]).toEqual([48, 48, 1]);
    expect(Array.from(img.data).slice(0, 3)).toEqual([255, 254, 253]);
    const first = await all.loadImage(all.samples[0]!);
    expect(first.data[300]).toBe(300 % 256);
  });

  test('malformed rows name the line and the problem', async () => {
    await expect(loadFer2013Csv(csv('code.csv', [`9,${pixels(() => 0)},Training`]))).rejects.toThrow(
      /code\.csv line 2: unknown class: emotion code "9"/,
    );
    await expect(loadFer2013Csv(csv('usage.csv', [`1,${pixels(() => 0)},Later`]))).rejects.toThrow(/line 2: unknown Usage "Later"/);
    await expect(loadFer2013Csv(csv('short.csv', ['1,1 2 3,Training']))).rejects.toThrow(/line 2: 3 pixel values do not form a square/);
    await expect(loadFer2013Csv(csv('empty.csv', []))).rejects.toThrow(/empty\.csv: empty split/);
    await expect(loadFer2013Csv(file, { split: 'train' }).then((d) => d.samples.length)).resolves.toBe(1);
    await expect(loadFer2013Csv(csv('onlytrain.csv', [`1,${pixels(() => 0)},Training`]), { split: 'test' })).rejects.toThrow(
      /empty split: no rows with Usage PrivateTest/,
    );
    await expect(loadFer2013Csv(path.join(tmp.dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read fer2013 csv/);
    const badPixel = await loadFer2013Csv(csv('pixel.csv', [`1,${pixels((i) => (i === 5 ? 300 : 0))},Training`]));
    await expect(badPixel.loadImage(badPixel.samples[0]!)).rejects.toThrow(/pixel\.csv line 2: unreadable image: pixel 5 is "300"/);
  });
});
