import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { CNN_DEFAULTS, ConfigError, type CnnConfig } from '../config/config.ts';
import { makeTempDir, writeGrayPng, writeText } from './fixtures.ts';
import { writeFerFixture } from '../testing/fer-fixture.ts';
import type { CnnBatch } from './cnn-data.ts';
import { openCnnData } from './open-cnn-data.ts';
import { DatasetError } from './errors.ts';

const tmp = makeTempDir('open-cnn-data');
afterAll(tmp.cleanup);

const K = EMOTIONS.length;

/** 8 images a split; image i's votes are all for class i % 4 (neutral, happy, surprise, sad). */
function fixture(): string {
  const root = path.join(tmp.dir, 'fer');
  writeFerFixture(root, 8, 3, 4);
  // Original FER2013 labels (codes: 0 angry .. 6 neutral): image 0 was filed as angry, image 1 has none recovered,
  // image 5 (votes: happy) as happy, the rest as sad.
  const codes = ['0', '', '4', '4', '4', '3', '4', '4'];
  const rows = codes.map((c, i) => `${i},FER2013Train/fer${String(i).padStart(7, '0')}.png,x,${c}`);
  writeText(
    path.join(root, 'fer2013-original-labels.csv'),
    ['fer2013_csv_row,ferplus_png,fer2013_class,fer2013_emotion_code', ...rows].map((r) => `${r}\n`).join(''),
  );
  return root;
}

async function all(batches: AsyncIterable<CnnBatch>): Promise<{ probs: number[][]; labels: number[] }> {
  const probs: number[][] = [];
  const labels: number[] = [];
  for await (const b of batches) {
    for (let i = 0; i < b.n; i++) {
      probs.push(Array.from(b.probs.subarray(i * K, (i + 1) * K)));
      labels.push(b.labels[i]!);
    }
  }
  return { probs, labels };
}

const key = (row: number[]): string => row.map((p) => p.toFixed(3)).join(' ');
const target = (parts: Partial<Record<(typeof EMOTIONS)[number], number>>): string => key(EMOTIONS.map((e) => parts[e] ?? 0));

describe('originalLabelShare', () => {
  const root = fixture();
  const config = (over: Partial<CnnConfig>): CnnConfig => ({ ...CNN_DEFAULTS, data: root, batchSize: 3, augment: false, ...over });

  test('moves that share of each training target onto the original label; validation stays FER+', async () => {
    const data = await openCnnData(config({ originalLabelShare: 0.25 }));
    const train = await all(data.train(1));
    expect(train.probs).toHaveLength(8);
    for (const row of train.probs) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const rows = train.probs.map(key).sort();
    const expected = [
      target({ neutral: 0.75, anger: 0.25 }), // image 0
      target({ happy: 1 }), // image 1: no original label, votes only
      target({ surprise: 0.75, sad: 0.25 }), // image 2
      target({ sad: 1 }), // image 3: votes and original label agree
      target({ neutral: 0.75, sad: 0.25 }), // image 4
      target({ happy: 1 }), // image 5: happy both ways
      target({ surprise: 0.75, sad: 0.25 }), // image 6
      target({ sad: 1 }), // image 7
    ].sort();
    expect(rows).toEqual(expected);
    // The class mass behind class weighting is the same blend.
    const mass = data.classMass();
    expect(mass[emotionIndex('anger')]).toBeCloseTo(0.25, 6);
    expect(mass[emotionIndex('sad')]).toBeCloseTo(2 + 3 * 0.25, 6); // images 3 and 7 whole, 2, 4 and 6 a quarter
    expect(mass.reduce((a, b) => a + b, 0)).toBeCloseTo(8, 6);

    const val = await all(data.val());
    expect(val.probs.map(key)).toEqual([0, 1, 2, 3, 0, 1, 2, 3].map((k) => target({ [EMOTIONS[k]!]: 1 })));
    expect(val.labels).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  test('0 leaves the votes alone', async () => {
    const train = await all((await openCnnData(config({}))).train(1));
    expect(train.probs.map(key).sort()).toEqual([0, 1, 2, 3, 0, 1, 2, 3].map((k) => target({ [EMOTIONS[k]!]: 1 })).sort());
  });

  test('a share outside [0, 1], or on data without FER+ votes, is a clear error', async () => {
    await expect(openCnnData(config({ originalLabelShare: 1.5 }))).rejects.toThrow(ConfigError);
    await expect(openCnnData(config({ originalLabelShare: 0.5, classTarget: 'majority' }))).rejects.toThrow(/--classTarget votes/);
    await expect(openCnnData(config({ originalLabelShare: 0.5, dataset: 'image-folder' }))).rejects.toThrow(/--dataset ferplus/);
  });
});

describe('mixData: a second dataset in the training mix', () => {
  const fer = path.join(tmp.dir, 'fer-for-mix');
  writeFerFixture(fer, 8, 3, 4);
  // Five posed "anger" faces of two subjects, CK+ names, in an ImageFolder layout.
  const posed = path.join(tmp.dir, 'posed');
  for (const [i, name] of [
    'S010_004_00000017',
    'S010_004_00000018',
    'S011_002_00000009',
    'S011_002_00000010',
    'S011_002_00000011',
  ].entries())
    writeGrayPng(path.join(posed, 'anger', `${name}.png`), 48, 48, (x, y) => (x + y + i) % 256);
  const config = (over: Partial<CnnConfig>): CnnConfig => ({
    ...CNN_DEFAULTS,
    data: fer,
    mixData: posed,
    mixShare: 0.25,
    epochSize: 12,
    batchSize: 5,
    augment: false,
    ...over,
  });

  test('each epoch draws epochSize images, mixShare of them from the mix; validation stays on the primary data', async () => {
    const data = await openCnnData(config({}));
    expect(data.trainSize()).toBe(12);
    expect(data.describe()).toContain('each epoch 12 images, 3 of them from');
    const anger = emotionIndex('anger');
    for (const epoch of [1, 2]) {
      const train = await all(data.train(epoch));
      expect(train.probs).toHaveLength(12);
      expect(train.labels.filter((l) => l === anger)).toHaveLength(3);
      // The posed faces carry no votes: their class target is their label, one-hot.
      for (const [i, l] of train.labels.entries()) if (l === anger) expect(key(train.probs[i]!)).toBe(target({ anger: 1 }));
    }
    // Class weights see the epoch's composition: 9 primary images (4 classes alike) and 3 posed ones.
    const mass = data.classMass();
    expect(mass[anger]).toBeCloseTo(3, 6);
    expect(mass.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 6);
    const val = await all(data.val());
    expect(val.labels).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });

  test('mixExcludeSubjects keeps those people out of the mix; an unknown subject is a clear error', async () => {
    const data = await openCnnData(config({ mixExcludeSubjects: ['S010'], mixShare: 0.5, epochSize: 6 }));
    expect(data.describe()).toContain('(3 images, by class');
    expect(data.describe()).toContain('without S010');
    await expect(openCnnData(config({ mixExcludeSubjects: ['S999'] }))).rejects.toThrow(/S999 not among/);
  });

  test("epochSize 0 means the primary split's size", async () => {
    expect((await openCnnData(config({ epochSize: 0 }))).trainSize()).toBe(8);
  });

  test('bad settings and a mix folder that is not one labelled dataset are clear errors', async () => {
    await expect(openCnnData(config({ mixShare: 1.5 }))).rejects.toThrow(/--mixShare must be in \[0, 1\]/);
    await expect(openCnnData(config({ epochSize: 2.5 }))).rejects.toThrow(/--epochSize/);
    await expect(openCnnData(config({ mixDataset: 'no-such-layout' }))).rejects.toThrow(/--mixDataset must be one of/);
    await expect(openCnnData(config({ mixData: fer }))).rejects.toThrow(DatasetError);
    await expect(openCnnData(config({ mixData: fer }))).rejects.toThrow(/needs one dataset, found 3/);
    await expect(openCnnData(config({ mixData: path.join(tmp.dir, 'missing') }))).rejects.toThrow(DatasetError);
  });
});
