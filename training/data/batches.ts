import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { preprocessFace, UNIT_NORMALISATION } from '../../src/core/preprocess.ts';
import type { CropSpec, Normalisation } from '../../src/core/preprocess.ts';
import { createRng, deriveSeed, shuffled } from '../util/rng.ts';
import type { Rng } from '../util/rng.ts';
import type { Dataset, Sample } from './types.ts';

/** Augmentation hook: takes one preprocessed size x size image, returns the augmented image. */
export type AugmentFn = (pixels: Float32Array, size: number, rng: Rng) => Float32Array;

export interface BatchOptions {
  batchSize: number;
  /** Output side in pixels. */
  size: number;
  /** Context around `faceBox` where a sample has one (see CropSpec.margin); whole images ignore it. Default 0. */
  margin?: number;
  /** Vertical crop offset around `faceBox` (see CropSpec.shiftY). Default 0. */
  shiftY?: number;
  /** Turn crops around `faceBox` by its roll (see CropSpec.levelEyes). Default false. */
  levelEyes?: boolean;
  /** With levelEyes: rolls up to this many degrees stay upright (see CropSpec.levelDeadband). Default 0. */
  levelDeadband?: number;
  /** Default: pixels / 255, the paper's scaling. */
  normalisation?: Normalisation;
  /** Seeded random order (Fisher-Yates over the sample list); dataset order otherwise. */
  shuffle?: boolean;
  /** Seeds the shuffle and the augmentation; give each epoch its own. Default 0. */
  seed?: number;
  augment?: AugmentFn;
  /** Leave out a last batch smaller than batchSize. */
  dropLast?: boolean;
  /** Batches decoded ahead of the one being consumed. Default 1. */
  prefetch?: number;
}

export interface Batch {
  n: number;
  samples: Sample[];
  /** n x size x size, row-major. */
  pixels: Float32Array;
  /** n x 8 class distributions (EMOTIONS order); zeros where `hasProbs` is 0. */
  probs: Float32Array;
  hasProbs: Uint8Array;
  /** n x 2 (valence, arousal); zeros where `hasVa` is 0. */
  va: Float32Array;
  hasVa: Uint8Array;
  /** n EMOTIONS indices, -1 where a sample has no label. */
  labels: Int32Array;
}

/**
 * One pass over a dataset in batches, decoded from disk as it goes: only the batch being consumed and
 * `prefetch` batches ahead are in memory, so the dataset may be larger than RAM. Each image goes through
 * preprocessFace (the app's own preprocessing), then the optional augmentation. Augmentation draws from a
 * per-batch stream derived from (seed, batch index), so results do not depend on I/O timing.
 */
export async function* batches(dataset: Dataset, options: BatchOptions): AsyncGenerator<Batch> {
  const { batchSize, size, seed = 0, prefetch = 1 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(prefetch) || prefetch < 0) throw new Error(`batches: prefetch must be an integer >= 0, got ${prefetch}`);
  const spec: CropSpec = {
    size,
    margin: options.margin ?? 0,
    shiftY: options.shiftY ?? 0,
    levelEyes: options.levelEyes ?? false,
    levelDeadband: options.levelDeadband ?? 0,
    normalisation: options.normalisation ?? UNIT_NORMALISATION,
  };
  const order = options.shuffle ? shuffled(dataset.samples, createRng(seed)) : dataset.samples.slice();
  const count = options.dropLast ? Math.floor(order.length / batchSize) : Math.ceil(order.length / batchSize);

  const build = async (b: number): Promise<Batch> => {
    const samples = order.slice(b * batchSize, (b + 1) * batchSize);
    const images = await Promise.all(samples.map((s) => dataset.loadImage(s)));
    const rng = options.augment ? createRng(deriveSeed(seed, b + 1)) : undefined;
    const n = samples.length;
    const batch: Batch = {
      n,
      samples,
      pixels: new Float32Array(n * size * size),
      probs: new Float32Array(n * EMOTIONS.length),
      hasProbs: new Uint8Array(n),
      va: new Float32Array(n * 2),
      hasVa: new Uint8Array(n),
      labels: new Int32Array(n).fill(-1),
    };
    samples.forEach((s, i) => {
      let pixels = preprocessFace(images[i]!, spec, s.faceBox);
      if (options.augment && rng) pixels = options.augment(pixels, size, rng);
      batch.pixels.set(pixels, i * size * size);
      if (s.probs) {
        batch.probs.set(s.probs, i * EMOTIONS.length);
        batch.hasProbs[i] = 1;
      }
      if (s.va) {
        batch.va[2 * i] = s.va.valence;
        batch.va[2 * i + 1] = s.va.arousal;
        batch.hasVa[i] = 1;
      }
      if (s.label) batch.labels[i] = emotionIndex(s.label);
    });
    return batch;
  };

  const queue: Promise<Batch>[] = [];
  let next = 0;
  const launch = (): void => {
    if (next >= count) return;
    const p = build(next++);
    // A prefetched batch may fail before it is awaited; the error surfaces when its turn comes.
    p.catch(() => undefined);
    queue.push(p);
  };
  for (let i = 0; i <= prefetch; i++) launch();
  while (queue.length > 0) {
    const batch = await queue.shift()!;
    yield batch;
    // The consumer asked for the next batch: only now start one more, keeping `prefetch` ahead.
    launch();
  }
}
