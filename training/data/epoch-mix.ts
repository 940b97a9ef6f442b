/**
 * Each epoch's training images when a second dataset joins the training mix (CnnConfig.mixData): `epochSize`
 * images, of which a share `mixShare` are drawn from the mix pool (e.g. CK+48's posed faces) and the rest from the
 * primary pool (FER+ train). Both pools are walked in a fresh seeded order per epoch, without replacement until a
 * pool is used up (a small pool is then repeated, each repeat in a new order), so every image of a pool is seen
 * before any is seen twice. Pure: samples in, samples out.
 */
import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { createRng, deriveSeed, shuffled } from '../util/rng.ts';
import type { Sample } from './types.ts';

export interface EpochMix {
  /** Images per epoch (primary + mix). */
  readonly epochSize: number;
  /** Share of each epoch's images drawn from the mix pool, in [0, 1]. */
  readonly mixShare: number;
  readonly seed: number;
}

/** How many of an epoch's images come from each pool. */
export function epochCounts(mix: EpochMix): { primary: number; mix: number } {
  const fromMix = Math.round(mix.epochSize * mix.mixShare);
  return { primary: mix.epochSize - fromMix, mix: fromMix };
}

/**
 * `count` samples of `pool` in the order of epoch `epoch`: the pool's shuffled passes laid end to end, continued
 * across epochs (epoch e starts where epoch e - 1 stopped), so a pool larger than its per-epoch count is covered
 * over consecutive epochs rather than resampled.
 */
export function drawFromPool(pool: readonly Sample[], count: number, epoch: number, seed: number): Sample[] {
  if (count === 0) return [];
  if (pool.length === 0) throw new Error('drawFromPool: cannot draw from an empty pool');
  const start = (epoch - 1) * count;
  const out: Sample[] = [];
  let pass = Math.floor(start / pool.length);
  let offset = start % pool.length;
  while (out.length < count) {
    const order = shuffled(pool, createRng(deriveSeed(seed, pass + 1)));
    const take = Math.min(count - out.length, pool.length - offset);
    out.push(...order.slice(offset, offset + take));
    pass++;
    offset = 0;
  }
  return out;
}

/** The training images of one epoch (1-based), primary and mix interleaved in a seeded order. */
export function drawEpoch(primary: readonly Sample[], mixPool: readonly Sample[], mix: EpochMix, epoch: number): Sample[] {
  const counts = epochCounts(mix);
  const chosen = [
    ...drawFromPool(primary, counts.primary, epoch, deriveSeed(mix.seed, 101)),
    ...drawFromPool(mixPool, counts.mix, epoch, deriveSeed(mix.seed, 102)),
  ];
  return shuffled(chosen, createRng(deriveSeed(mix.seed, 1000 + epoch)));
}

/**
 * Each class's expected share of an epoch's class targets: each pool's summed targets (`massOf`), scaled to the
 * number of images the epoch draws from it. Class weights computed from it balance what training actually sees.
 */
export function epochClassMass(
  primary: readonly Sample[],
  mixPool: readonly Sample[],
  mix: EpochMix,
  massOf: (samples: readonly Sample[]) => number[],
): number[] {
  const counts = epochCounts(mix);
  const scaled = (samples: readonly Sample[], n: number): number[] => {
    const mass = samples.length > 0 ? massOf(samples) : EMOTIONS.map(() => 0);
    return mass.map((m) => (samples.length > 0 ? (m * n) / samples.length : 0));
  };
  const a = scaled(primary, counts.primary);
  const b = scaled(mixPool, counts.mix);
  return a.map((m, i) => m + (b[i] ?? 0));
}

/** Class counts of a sample list by hard label (EMOTIONS order), for the run's description. */
export function labelCounts(samples: readonly Sample[]): number[] {
  const counts = EMOTIONS.map(() => 0);
  for (const s of samples) if (s.label) counts[emotionIndex(s.label)]!++;
  return counts;
}
