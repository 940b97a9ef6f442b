import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { CNN_DEFAULTS, ConfigError, type CnnConfig } from '../config/config.ts';
import { makeTempDir, writeText } from './fixtures.ts';
import { writeFerFixture } from '../testing/fer-fixture.ts';
import type { CnnBatch } from './cnn-data.ts';
import { openCnnData } from './open-cnn-data.ts';

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
