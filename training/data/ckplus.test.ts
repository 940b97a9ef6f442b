import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadCkPlus } from './ckplus.ts';
import { makeTempDir, writeGrayPng, writeText } from './fixtures.ts';

const tmp = makeTempDir('ckplus');
afterAll(tmp.cleanup);

/** A CK+ tree: sequences as [subject, seq, frame count, emotion code or undefined]. */
function ckTree(name: string, seqs: [string, string, number, string | undefined][]): string {
  const root = path.join(tmp.dir, name);
  for (const [subject, seq, n, code] of seqs) {
    for (let f = 1; f <= n; f++) {
      writeGrayPng(
        path.join(root, 'cohn-kanade-images', subject, seq, `${subject}_${seq}_${String(f).padStart(8, '0')}.png`),
        4,
        3,
        () => f,
      );
    }
    if (code !== undefined)
      writeText(path.join(root, 'Emotion', subject, seq, `${subject}_${seq}_${String(n).padStart(8, '0')}_emotion.txt`), `   ${code}\n`);
  }
  return root;
}

describe('loadCkPlus', () => {
  const root = ckTree('good', [
    ['S005', '001', 3, '3.0000000e+00'],
    ['S005', '002', 2, undefined],
    ['S010', '004', 12, '5.0000000e+00'],
  ]);

  test('frames in numeric order, first neutral, apex = last frame with the sequence emotion, middle unlabelled', async () => {
    const ds = await loadCkPlus(root);
    expect(ds.sequences.map((s) => [s.id, s.subject, s.emotion, s.frames.length])).toEqual([
      ['S005_001', 'S005', 'disgust', 3],
      ['S010_004', 'S010', 'happy', 12],
    ]);
    const happy = ds.sequences[1]!;
    expect(happy.frames.map((f) => f.frameIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(happy.frames.map((f) => f.label)).toEqual(['neutral', ...new Array<undefined>(10).fill(undefined), 'happy']);
    expect(ds.samples.length).toBe(15);
    const img = await ds.loadImage(happy.frames[11]!);
    expect(img.data[0]).toBe(12);
  });

  test('unlabelled sequences are kept on request', async () => {
    const ds = await loadCkPlus(root, { includeUnlabelled: true });
    expect(ds.sequences.map((s) => [s.id, s.emotion])).toEqual([
      ['S005_001', 'disgust'],
      ['S005_002', undefined],
      ['S010_004', 'happy'],
    ]);
  });

  test('malformed trees name the file and the problem', async () => {
    await expect(loadCkPlus(ckTree('badcode', [['S001', '001', 2, '9']]))).rejects.toThrow(
      /S001_001_00000002_emotion\.txt: unknown class: "9"/,
    );
    await expect(loadCkPlus(ckTree('nolabels', [['S001', '001', 2, undefined]]))).rejects.toThrow(/Emotion: CK\+ Emotion folder not found/);
    const wrongApex = ckTree('apex', [['S001', '001', 2, '1']]);
    writeText(path.join(wrongApex, 'cohn-kanade-images', 'S001', '001', 'S001_001_00000003.png'), 'x');
    await expect(loadCkPlus(wrongApex)).rejects.toThrow(/apex frame 2 is not the sequence's last frame \(3\)/);
    const stray = ckTree('stray', [['S001', '001', 2, '1']]);
    writeGrayPng(path.join(stray, 'cohn-kanade-images', 'S001', '001', 'S002_001_00000009.png'), 2, 2, () => 0);
    await expect(loadCkPlus(stray)).rejects.toThrow(/S002_001_00000009\.png: frame name does not match S001_001/);
    const empty = ckTree('empty', [['S001', '001', 2, undefined]]);
    writeText(path.join(empty, 'Emotion', 'README'), 'x');
    await expect(loadCkPlus(empty)).rejects.toThrow(/empty split: no labelled sequences/);
    await expect(loadCkPlus(path.join(tmp.dir, 'none'))).rejects.toThrow(/cohn-kanade-images: CK\+ cohn-kanade-images folder not found/);
  });
});

const real = path.resolve(import.meta.dirname, '../../../shared/datasets/ckplus-sequences');
describe.skipIf(!existsSync(real))('loadCkPlus on the CK+ sequences (needs ../shared/datasets/ckplus-sequences)', () => {
  test('40 sequences, 684 frames, 10 subjects, per-class counts as documented', async () => {
    const ds = await loadCkPlus(real);
    expect(ds.sequences.length).toBe(40);
    expect(ds.samples.length).toBe(684);
    expect(new Set(ds.sequences.map((s) => s.subject)).size).toBe(10);
    const perClass: Record<string, [number, number]> = {};
    for (const s of ds.sequences) {
      const c = (perClass[s.emotion ?? '?'] ??= [0, 0]);
      c[0] += 1;
      c[1] += s.frames.length;
    }
    // PROVENANCE.md: anger 4/81, disgust 9/110, fear 5/84, happy 8/207, sadness 5/82, surprise 9/120.
    expect(perClass).toEqual({ anger: [4, 81], disgust: [9, 110], fear: [5, 84], happy: [8, 207], sad: [5, 82], surprise: [9, 120] });
    const img = await ds.loadImage(ds.sequences[0]!.frames[0]!);
    expect([img.width, img.height, img.channels]).toEqual([320, 245, 1]);
  });
});
