import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { preprocessFace, UNIT_NORMALISATION } from '../../src/core/preprocess.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { batches } from './batches.ts';
import type { Batch } from './batches.ts';
import { makeTempDir, writeGrayPng } from './fixtures.ts';
import { loadImageFolder } from './image-folder.ts';
import { oneHot } from './targets.ts';
import type { Dataset, Sample } from './types.ts';

const tmp = makeTempDir('batches');
afterAll(tmp.cleanup);

/** A dataset whose image i is a 10x8 gradient offset by i; counts reads in flight. */
function syntheticDataset(n: number): Dataset & { inFlight: () => number; maxInFlight: () => number; loaded: () => number } {
  let inFlight = 0;
  let maxInFlight = 0;
  let loaded = 0;
  const samples: Sample[] = Array.from({ length: n }, (_, i) => ({
    id: `img${i}`,
    source: `img${i}`,
    label: i % 3 === 0 ? 'happy' : undefined,
    probs: i % 3 === 0 ? oneHot('happy') : undefined,
    va: i % 2 === 0 ? { valence: i / n, arousal: -i / n } : undefined,
    faceBox: i % 4 === 1 ? { x: 2, y: 1, width: 4, height: 5 } : undefined,
  }));
  return {
    name: 'synthetic',
    samples,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    loaded: () => loaded,
    async loadImage(s: Sample): Promise<RawImage> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      loaded++;
      const i = Number(s.id.slice(3));
      return { data: Uint8Array.from({ length: 80 }, (_, p) => (p * 3 + i) % 256), width: 10, height: 8, channels: 1 };
    },
  };
}

async function collect(it: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('batches', () => {
  test('every sample once, in order without shuffle, pixels = preprocessFace with the sample face box, targets packed', async () => {
    const ds = syntheticDataset(10);
    const got = await collect(batches(ds, { batchSize: 4, size: 6, margin: 0.25 }));
    expect(got.map((b) => b.n)).toEqual([4, 4, 2]);
    const ids = got.flatMap((b) => b.samples.map((s) => s.id));
    expect(ids).toEqual(ds.samples.map((s) => s.id));
    const spec = { size: 6, margin: 0.25, normalisation: UNIT_NORMALISATION };
    for (const b of got) {
      for (const [i, s] of b.samples.entries()) {
        const expected = preprocessFace(await ds.loadImage(s), spec, s.faceBox);
        expect(Array.from(b.pixels.subarray(i * 36, (i + 1) * 36))).toEqual(Array.from(expected));
        expect(b.labels[i]).toBe(s.label ? 1 : -1);
        expect(b.hasProbs[i]).toBe(s.probs ? 1 : 0);
        expect(b.hasVa[i]).toBe(s.va ? 1 : 0);
        expect(b.va[2 * i]).toBeCloseTo(s.va?.valence ?? 0, 6);
        expect(b.va[2 * i + 1]).toBeCloseTo(s.va?.arousal ?? 0, 6);
        expect(b.probs[i * 8 + 1]).toBe(s.probs ? 1 : 0);
      }
    }
    expect((await collect(batches(ds, { batchSize: 4, size: 6, dropLast: true }))).map((b) => b.n)).toEqual([4, 4]);
  });

  test('seeded shuffle: same seed same order, another seed another order, still a permutation', async () => {
    const ds = syntheticDataset(20);
    const order = async (seed: number): Promise<string[]> =>
      (await collect(batches(ds, { batchSize: 7, size: 4, shuffle: true, seed }))).flatMap((b) => b.samples.map((s) => s.id));
    const a = await order(1);
    expect(await order(1)).toEqual(a);
    expect(await order(2)).not.toEqual(a);
    expect([...a].sort()).toEqual(ds.samples.map((s) => s.id).sort());
  });

  test('augmentation hook gets each image, its size and a seeded stream; results do not depend on timing', async () => {
    const ds = syntheticDataset(9);
    const augment = (pixels: Float32Array, size: number, rng: () => number): Float32Array => {
      expect(size).toBe(4);
      return pixels.map((v) => v + rng());
    };
    const run = async (prefetch: number): Promise<number[]> =>
      (await collect(batches(ds, { batchSize: 2, size: 4, seed: 5, augment, prefetch }))).flatMap((b) => Array.from(b.pixels));
    const plain = (await collect(batches(ds, { batchSize: 2, size: 4 }))).flatMap((b) => Array.from(b.pixels));
    const augmented = await run(0);
    expect(await run(3)).toEqual(augmented);
    expect(augmented).not.toEqual(plain);
    augmented.forEach((v, i) => expect(v - (plain[i] ?? 0)).toBeGreaterThanOrEqual(0));
  });

  test('streams: reads ahead at most prefetch batches, never the whole set', async () => {
    const ds = syntheticDataset(100);
    const it = batches(ds, { batchSize: 5, size: 4, prefetch: 2 });
    const first = await it.next();
    expect(first.done).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    // The batch handed out plus two decoded ahead.
    expect(ds.loaded()).toBe(15);
    let n = 1;
    for await (const _ of it) n++;
    expect(n).toBe(20);
    expect(ds.maxInFlight()).toBeLessThanOrEqual(15);
  });

  test('a decoding error reaches the consumer with the file name', async () => {
    const root = path.join(tmp.dir, 'folder');
    writeGrayPng(path.join(root, 'sad', 'a.png'), 4, 4, () => 9);
    writeGrayPng(path.join(root, 'sad', 'b.png'), 4, 4, () => 9);
    const ds = await loadImageFolder(root);
    ds.samples[1] = { ...ds.samples[1]!, source: path.join(root, 'sad', 'gone.png') };
    await expect(collect(batches(ds, { batchSize: 1, size: 4 }))).rejects.toThrow(/gone\.png: cannot read image/);
    const ok = await collect(batches({ ...ds, samples: ds.samples.slice(0, 1) }, { batchSize: 1, size: 2 }));
    expect(Array.from(ok[0]!.pixels)).toEqual([9 / 255, 9 / 255, 9 / 255, 9 / 255].map(Math.fround));
  });
});
