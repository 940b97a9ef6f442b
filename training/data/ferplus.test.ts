import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DatasetError } from './errors.ts';
import { FERPLUS_FOLDERS, loadFerPlus, SKIP_NO_EMOTION_VOTES, SKIP_NO_MAJORITY, SKIP_NO_ORIGINAL_LABEL } from './ferplus.ts';
import type { FerPlusSplit } from './ferplus.ts';
import { makeTempDir, writeGrayPng, writeText } from './fixtures.ts';

const tmp = makeTempDir('ferplus');
afterAll(tmp.cleanup);

/** A FER+ tree with one split; rows are `name,"(0, 0, 48, 48)",votes...`. */
function ferTree(name: string, rows: string[], pngs: string[] = rows.map((r) => r.split(',')[0] ?? '')): string {
  const root = path.join(tmp.dir, name);
  const dir = path.join(root, 'data', 'FER2013Train');
  for (const [i, png] of pngs.entries()) writeGrayPng(path.join(dir, png), 4, 4, () => 10 * i);
  writeText(path.join(dir, 'label.csv'), rows.map((r) => `${r}\n`).join(''));
  return root;
}

const ROWS = [
  'fer0000000.png,"(0, 0, 48, 48)",0,10,0,0,0,0,0,0,0,0', // happy
  'fer0000001.png,"(0, 0, 48, 48)",4,0,0,1,3,2,0,0,0,0', // no majority
  'fer0000002.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,3,7', // not a face: no emotion votes
  'fer0000003.png,"(0, 0, 48, 48)",1,0,0,6,0,0,0,0,2,0', // sad, 9 votes as in one real row
];

describe('loadFerPlus', () => {
  const root = ferTree('good', ROWS);

  test('majority labels, vote distributions and derived VA; ambiguous and no-emotion rows counted as skipped', async () => {
    const ds = await loadFerPlus(root, { split: 'train' });
    expect(ds.samples.map((s) => [s.id, s.label])).toEqual([
      ['FER2013Train/fer0000000.png', 'happy'],
      ['FER2013Train/fer0000003.png', 'sad'],
    ]);
    expect(ds.skipped).toEqual({ [SKIP_NO_MAJORITY]: 1, [SKIP_NO_EMOTION_VOTES]: 1 });
    const sad = ds.samples[1];
    expect(Array.from(sad?.probs ?? [])).toEqual([1 / 7, 0, 0, 6 / 7, 0, 0, 0, 0].map(Math.fround));
    expect(sad?.va?.valence).toBeLessThan(0);
    const img = await ds.loadImage(ds.samples[0]!);
    expect([img.width, img.height, img.channels]).toEqual([4, 4, 1]);
  });

  test('keepUnlabelled keeps the ambiguous row without a label', async () => {
    const ds = await loadFerPlus(root, { split: 'train', keepUnlabelled: true });
    expect(ds.samples.map((s) => s.label)).toEqual(['happy', undefined, 'sad']);
    expect(ds.samples[1]?.probs).toBeDefined();
  });

  test('originalLabels takes the FER2013 class; an empty code means none was recovered', async () => {
    writeText(
      path.join(root, 'fer2013-original-labels.csv'),
      'fer2013_csv_row,ferplus_png,fer2013_class,fer2013_emotion_code\r\n0,FER2013Train/fer0000000.png,fear,2\r\n1,FER2013Train/fer0000001.png,AMBIGUOUS:angry|fear,\r\n3,FER2013Train/fer0000003.png,angry,0\r\n',
    );
    const ds = await loadFerPlus(root, { split: 'train', originalLabels: true });
    expect(ds.samples.map((s) => [s.id, s.label])).toEqual([
      ['FER2013Train/fer0000000.png', 'fear'],
      ['FER2013Train/fer0000003.png', 'anger'],
    ]);
    expect(ds.skipped).toEqual({ [SKIP_NO_ORIGINAL_LABEL]: 1, [SKIP_NO_EMOTION_VOTES]: 1 });
  });

  test('malformed trees fail with the file and the problem', async () => {
    const cases: [string, string[], string[] | undefined, RegExp][] = [
      [
        'missing-png',
        ROWS,
        ['fer0000000.png', 'fer0000001.png', 'fer0000002.png'],
        /label\.csv line 4: label row for fer0000003\.png, but .* does not exist/,
      ],
      ['extra-png', ROWS.slice(0, 2), ['fer0000000.png', 'fer0000001.png', 'fer0000009.png'], /fer0000009\.png: image has no row in/],
      ['bad-vote', ['fer0000000.png,"(0, 0, 48, 48)",0,x,0,0,0,0,0,0,0,0'], undefined, /line 1: bad vote count "x" for happiness/],
      ['negative-vote', ['fer0000000.png,"(0, 0, 48, 48)",0,-1,0,0,0,0,0,0,0,0'], undefined, /bad vote count "-1"/],
      ['no-votes', ['fer0000000.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,0,0'], undefined, /has no votes at all/],
      ['columns', ['fer0000000.png,"(0, 0, 48, 48)",0,10'], undefined, /expected 12 columns/],
      ['empty', [], [], /label\.csv: empty split/],
    ];
    for (const [name, rows, pngs, message] of cases) {
      const bad = ferTree(name, rows, pngs);
      await expect(loadFerPlus(bad, { split: 'train' }), name).rejects.toThrow(message);
    }
    const noLabels = ferTree('no-label-csv', ROWS);
    unlinkSync(path.join(noLabels, 'data', 'FER2013Train', 'label.csv'));
    await expect(loadFerPlus(noLabels, { split: 'train' })).rejects.toThrow(/label\.csv: missing label\.csv/);
    await expect(loadFerPlus(root, { split: 'valid' })).rejects.toThrow(DatasetError);
    await expect(loadFerPlus(root, { split: 'valid' })).rejects.toThrow(/FER2013Valid: FER\+ valid split folder not found/);
  });
});

const real = path.resolve(import.meta.dirname, '../../../shared/datasets/ferplus');
describe.skipIf(!existsSync(real))('loadFerPlus on the real FER+ folders (needs ../shared/datasets/ferplus)', () => {
  test('every PNG is either a sample or a counted skip, in every split', async () => {
    const total: Record<string, number> = {};
    for (const split of Object.keys(FERPLUS_FOLDERS) as FerPlusSplit[]) {
      const pngs = readdirSync(path.join(real, 'data', FERPLUS_FOLDERS[split])).filter((f) => f.endsWith('.png')).length;
      for (const keepUnlabelled of [false, true]) {
        const ds = await loadFerPlus(real, { split, keepUnlabelled });
        const skipped = Object.values(ds.skipped ?? {}).reduce((a, b) => a + b, 0);
        expect(ds.samples.length + skipped, `${split} keepUnlabelled=${keepUnlabelled}`).toBe(pngs);
        if (!keepUnlabelled) expect(ds.samples.every((s) => s.label !== undefined)).toBe(true);
        for (const s of ds.samples) {
          const sum = Array.from(s.probs ?? []).reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > 1e-5) throw new Error(`${s.id}: probs sum to ${sum}`);
        }
      }
      total[split] = pngs;
      const ds = await loadFerPlus(real, { split });
      for (const s of ds.samples.slice(0, 3)) {
        const img = await ds.loadImage(s);
        expect([img.width, img.height, img.channels]).toEqual([48, 48, 1]);
      }
    }
    // PROVENANCE.md: 35,710 PNG in all.
    expect(Object.values(total).reduce((a, b) => a + b, 0)).toBe(35_710);
  });

  test('original FER2013 labels: 34,402 recovered, all but those on vote-less images are used', async () => {
    let labelled = 0;
    for (const split of Object.keys(FERPLUS_FOLDERS) as FerPlusSplit[]) {
      const ds = await loadFerPlus(real, { split, originalLabels: true });
      labelled += ds.samples.length;
    }
    expect(labelled).toBeGreaterThan(34_402 - 10);
    expect(labelled).toBeLessThanOrEqual(34_402);
  });
});
