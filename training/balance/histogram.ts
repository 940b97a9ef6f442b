/**
 * The paper's valence/arousal balancing (research notes §1): a 40x40 histogram over (valence, arousal); frames
 * with v = a = 0 are dropped; a frame is kept with probability 1 - count(bin) / M, where M is
 *   'max'     the largest bin count,
 *   'mean'    the mean count over NON-EMPTY bins,
 *   'average' the average of those two (the paper's subset 3, the one it trained on).
 * The mean is over non-empty bins because labelled frames occupy a small part of the 1600 bins: over all bins
 * the mean would be smaller than almost every occupied bin and 'mean' would drop nearly everything.
 * Bins whose count reaches M keep nothing.
 *
 * Arousal is binned with its own edges (the authors' code reused the valence edges for arousal, a bug that only
 * shows when the two ranges differ).
 */

export type BalanceMode = 'max' | 'mean' | 'average';

export interface BalanceOptions {
  readonly mode: BalanceMode;
  /** Bins per axis. */
  readonly bins: number;
  /** Histogram range of valence; values outside are counted in the edge bins. */
  readonly valenceRange: readonly [number, number];
  readonly arousalRange: readonly [number, number];
}

export const PAPER_BALANCE: BalanceOptions = { mode: 'average', bins: 40, valenceRange: [-1, 1], arousalRange: [-1, 1] };

export interface BalanceResult {
  /** Indices into the input of the frames kept, ascending. */
  readonly kept: number[];
  /** Frames dropped because v = a = 0. */
  readonly droppedNeutral: number;
  /** Bin counts of the candidate frames (after dropping v = a = 0), row = valence bin, column = arousal bin. */
  readonly counts: Uint32Array;
  /** Bin counts of the kept frames, same layout. */
  readonly keptCounts: Uint32Array;
  /** The M of the rule. */
  readonly m: number;
}

/** numpy.histogram's rule: bins are [e_i, e_i+1), the last one closed; out-of-range values clamp to the ends. */
export function binIndex(value: number, range: readonly [number, number], bins: number): number {
  const [lo, hi] = range;
  const i = Math.floor(((value - lo) / (hi - lo)) * bins);
  return i < 0 ? 0 : i >= bins ? bins - 1 : i;
}

/** M for a histogram under a mode (non-empty bins only for the mean). */
export function histogramM(counts: ArrayLike<number>, mode: BalanceMode): number {
  let max = 0;
  let sum = 0;
  let nonEmpty = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0) {
      nonEmpty++;
      sum += c;
      if (c > max) max = c;
    }
  }
  const mean = nonEmpty > 0 ? sum / nonEmpty : 0;
  if (mode === 'max') return max;
  if (mode === 'mean') return mean;
  return (max + mean) / 2;
}

/** Keep probability of a frame in a bin holding `count` frames: 1 - count / M, clamped to [0, 1]. */
export function keepProbability(count: number, m: number): number {
  if (m <= 0) return 0;
  const p = 1 - count / m;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Chooses the frames to keep. Deterministic given `rng`: one number is drawn per candidate frame, in input
 * order, whatever its probability, and the frame is kept when that number is below its keep probability.
 */
export function balanceByHistogram(
  valence: ArrayLike<number>,
  arousal: ArrayLike<number>,
  rng: () => number,
  options: Partial<BalanceOptions> = {},
): BalanceResult {
  const opts: BalanceOptions = { ...PAPER_BALANCE, ...options };
  if (valence.length !== arousal.length) {
    throw new Error(`balanceByHistogram: ${valence.length} valence values but ${arousal.length} arousal values`);
  }
  if (!Number.isInteger(opts.bins) || opts.bins < 1)
    throw new Error(`balanceByHistogram: bins must be a positive integer, got ${opts.bins}`);
  for (const [name, r] of [
    ['valenceRange', opts.valenceRange],
    ['arousalRange', opts.arousalRange],
  ] as const) {
    if (!(r[1] > r[0])) throw new Error(`balanceByHistogram: ${name} [${r[0]}, ${r[1]}] is empty`);
  }
  const { bins } = opts;
  const n = valence.length;
  const bin = new Int32Array(n).fill(-1);
  const counts = new Uint32Array(bins * bins);
  let droppedNeutral = 0;
  for (let i = 0; i < n; i++) {
    const v = valence[i] ?? NaN;
    const a = arousal[i] ?? NaN;
    if (!Number.isFinite(v) || !Number.isFinite(a)) {
      throw new Error(`balanceByHistogram: frame ${i} has a non-finite label (valence ${v}, arousal ${a})`);
    }
    if (v === 0 && a === 0) {
      droppedNeutral++;
      continue;
    }
    const b = binIndex(v, opts.valenceRange, bins) * bins + binIndex(a, opts.arousalRange, bins);
    bin[i] = b;
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const m = histogramM(counts, opts.mode);
  const kept: number[] = [];
  const keptCounts = new Uint32Array(bins * bins);
  for (let i = 0; i < n; i++) {
    const b = bin[i] ?? -1;
    if (b < 0) continue;
    const u = rng();
    if (u < keepProbability(counts[b] ?? 0, m)) {
      kept.push(i);
      keptCounts[b] = (keptCounts[b] ?? 0) + 1;
    }
  }
  return { kept, droppedNeutral, counts, keptCounts, m };
}
