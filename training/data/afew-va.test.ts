import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadAfewVa } from './afew-va.ts';
import { makeTempDir, writeRgbPng, writeText } from './fixtures.ts';

const tmp = makeTempDir('afewva');
afterAll(tmp.cleanup);

function clip(root: string, id: string, frames: Record<string, unknown>, images: string[] = Object.keys(frames)): void {
  for (const key of images) writeRgbPng(path.join(root, id, `${key}.png`), 6, 4, () => [10, 20, 30]);
  writeText(path.join(root, id, `${id}.json`), JSON.stringify({ actor: `actor-${id}`, video_id: id, frames }));
}

describe('loadAfewVa', () => {
  test('VA scaled from -10..10 to -1..1, landmark box as face box, frames in order per clip', async () => {
    const root = path.join(tmp.dir, 'good');
    clip(root, '001', {
      '00001': {
        valence: -10,
        arousal: 2,
        landmarks: [
          [1, 1],
          [4, 2],
          [2, 3],
        ],
      },
      '00000': {
        valence: 5,
        arousal: 10,
        landmarks: [
          [0, 0],
          [5, 3],
        ],
      },
    });
    clip(root, '002', { '00000': { valence: 0, arousal: -3 } }, ['00000', '00001']);
    const ds = await loadAfewVa(root);
    expect(ds.sequences.map((s) => [s.id, s.subject, s.frames.map((f) => f.frameIndex)])).toEqual([
      ['001', 'actor-001', [0, 1]],
      ['002', 'actor-002', [0]],
    ]);
    const [first, second] = ds.sequences[0]!.frames;
    expect(first?.va).toEqual({ valence: 0.5, arousal: 1 });
    expect(second?.va).toEqual({ valence: -1, arousal: 0.2 });
    expect(second?.faceBox).toEqual({ x: 1, y: 1, width: 3, height: 2 });
    expect(first?.label).toBeUndefined();
    expect((await ds.loadImage(first!)).channels).toBe(3);
  });

  test('missing labels file, labels for a missing image, values off the scale are errors', async () => {
    const noJson = path.join(tmp.dir, 'nojson');
    writeRgbPng(path.join(noJson, '001', '00000.png'), 2, 2, () => [0, 0, 0]);
    await expect(loadAfewVa(noJson)).rejects.toThrow(/001\.json: missing label file/);
    const missing = path.join(tmp.dir, 'missing');
    clip(missing, '001', { '00000': { valence: 1, arousal: 1 }, '00001': { valence: 1, arousal: 1 } }, ['00000']);
    await expect(loadAfewVa(missing)).rejects.toThrow(/001\.json: frame 00001 has labels but .*00001\.png does not exist/);
    const range = path.join(tmp.dir, 'range');
    clip(range, '001', { '00000': { valence: 11, arousal: 1 } });
    await expect(loadAfewVa(range)).rejects.toThrow(/001\.json: malformed AFEW-VA labels \(frames\.00000\.valence/);
    const broken = path.join(tmp.dir, 'broken');
    writeText(path.join(broken, '001', '001.json'), '{"frames": ');
    await expect(loadAfewVa(broken)).rejects.toThrow(/001\.json: malformed AFEW-VA labels/);
    const empty = path.join(tmp.dir, 'empty');
    clip(empty, '001', {});
    await expect(loadAfewVa(empty)).rejects.toThrow(/empty split/);
  });
});

const real = path.resolve(import.meta.dirname, '../../../shared/datasets/afew-va-sample');
describe.skipIf(!existsSync(real))('loadAfewVa on the AFEW-VA sample (needs ../shared/datasets/afew-va-sample)', () => {
  test('10 frames of clip 001, valence 0 and arousal 0.5, face boxes inside the 720x576 frame', async () => {
    const ds = await loadAfewVa(real);
    expect(ds.samples.length).toBe(10);
    expect(ds.sequences.map((s) => s.id)).toEqual(['001']);
    for (const s of ds.samples) {
      expect(s.va).toEqual({ valence: 0, arousal: 0.5 });
      const box = s.faceBox!;
      expect(box.width).toBeGreaterThan(20);
      expect(box.x + box.width).toBeLessThanOrEqual(720);
      expect(box.y + box.height).toBeLessThanOrEqual(576);
    }
    const img = await ds.loadImage(ds.samples[0]!);
    expect([img.width, img.height, img.channels]).toEqual([720, 576, 3]);
  });
});
