import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadAffWild2, SKIP_NO_FACE_IMAGE, SKIP_NO_LABEL } from './affwild2.ts';
import { makeTempDir, writeJpeg, writeText } from './fixtures.ts';

const tmp = makeTempDir('affwild2');
afterAll(tmp.cleanup);

function video(root: string, split: string, name: string, lines: string[], frames: number[]): void {
  for (const f of frames) writeJpeg(path.join(root, 'cropped_aligned', name, `${String(f).padStart(5, '0')}.jpg`), 8, 8, () => 100);
  writeText(path.join(root, 'VA_Set', split, `${name}.txt`), ['valence,arousal', ...lines].join('\n') + '\n');
}

describe('loadAffWild2', () => {
  const root = path.join(tmp.dir, 'good');
  video(root, 'Train_Set', '1-30-1280x720', ['0.5,0.25', '-5,-5', '-0.1,0.9', '0.2,0.2', '1,-1'], [1, 2, 3, 5]);
  video(root, 'Train_Set', '118-30-640x480_left', ['0,0'], [1]);
  video(root, 'Validation_Set', 'video10-1', ['0.3,-0.3'], [1]);

  test('line n is frame n; -5 rows and frames without a face image are counted gaps', async () => {
    const ds = await loadAffWild2(root, { split: 'train' });
    expect(ds.sequences.map((s) => [s.id, s.frames.map((f) => f.frameIndex)])).toEqual([
      ['1-30-1280x720', [1, 3, 5]],
      ['118-30-640x480_left', [1]],
    ]);
    expect(ds.sequences[0]!.frames.map((f) => f.va)).toEqual([
      { valence: 0.5, arousal: 0.25 },
      { valence: -0.1, arousal: 0.9 },
      { valence: 1, arousal: -1 },
    ]);
    expect(ds.skipped).toEqual({ [SKIP_NO_LABEL]: 1, [SKIP_NO_FACE_IMAGE]: 1 });
    expect(ds.samples.length).toBe(4);
    expect((await ds.loadImage(ds.samples[0]!)).width).toBe(8);
    const val = await loadAffWild2(root, { split: 'validation' });
    expect(val.samples.map((s) => s.id)).toEqual(['video10-1/00001.jpg']);
  });

  test('bad header, bad values, labels for a missing video and empty splits name the file', async () => {
    const header = path.join(tmp.dir, 'header');
    video(header, 'Train_Set', 'v', ['0,0'], [1]);
    writeText(path.join(header, 'VA_Set', 'Train_Set', 'v.txt'), 'arousal,valence\n0,0\n');
    await expect(loadAffWild2(header, { split: 'train' })).rejects.toThrow(/v\.txt: header must be "valence,arousal"/);
    const range = path.join(tmp.dir, 'range');
    video(range, 'Train_Set', 'v', ['0,0', '2,0'], [1, 2]);
    await expect(loadAffWild2(range, { split: 'train' })).rejects.toThrow(/v\.txt line 3: valence\/arousal 2,0 outside -1\.\.1/);
    const text = path.join(tmp.dir, 'text');
    video(text, 'Train_Set', 'v', ['0,zero'], [1]);
    await expect(loadAffWild2(text, { split: 'train' })).rejects.toThrow(/v\.txt line 2: expected "valence,arousal" numbers/);
    const novideo = path.join(tmp.dir, 'novideo');
    video(novideo, 'Train_Set', 'a', ['0,0'], [1]);
    writeText(path.join(novideo, 'VA_Set', 'Train_Set', 'b.txt'), 'valence,arousal\n0,0\n');
    await expect(loadAffWild2(novideo, { split: 'train' })).rejects.toThrow(
      /b\.txt: labels for video b, but .*cropped_aligned\/b does not exist/,
    );
    const unlabelled = path.join(tmp.dir, 'unlabelled');
    video(unlabelled, 'Train_Set', 'v', ['-5,-5'], [1]);
    await expect(loadAffWild2(unlabelled, { split: 'train' })).rejects.toThrow(/Train_Set: empty split/);
    await expect(loadAffWild2(unlabelled, { split: 'validation' })).rejects.toThrow(
      /Validation_Set: Aff-Wild2 validation annotation folder not found/,
    );
  });
});
