/**
 * Seeded pseudo-random numbers for everything that must be reproducible (shuffles, folds, augmentation).
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, passes PractRand to 2^32 outputs, far more than
 * one training run draws from one stream.
 */

/** Uniform in [0, 1), like Math.random. */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher-Yates shuffle into a new array; the input is left as it was. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** An independent seed for a sub-stream (e.g. per epoch), so streams do not overlap for nearby seeds. */
export function deriveSeed(seed: number, stream: number): number {
  return (createRng((seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0)() * 4294967296) >>> 0;
}
