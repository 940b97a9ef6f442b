/**
 * TF.js draws the seeds of unseeded random ops (dropout masks, initialisers) from Math.random. To make
 * a run reproducible, and a resumed run identical to an uninterrupted one, the training CLIs replace
 * Math.random with a seeded generator re-seeded from (seed, epoch) at the start of every epoch.
 */
import { createRng } from './rng.ts';

const original = Math.random;

export function seedMathRandom(seed: number, epoch: number): void {
  Math.random = createRng((seed * 1_000_003 + epoch * 7919) >>> 0);
}

export function restoreMathRandom(): void {
  Math.random = original;
}
