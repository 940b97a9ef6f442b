/**
 * Summaries of per-frame measurements for the benchmarks. The spread of a median is read from the data
 * itself: the samples are cut into consecutive chunks (in time order) and the spread is the range of the
 * chunk medians, so slow drift from other work on the machine shows up in it, as it would between two runs.
 */

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  if (p < 0 || p > 100) throw new Error(`percentile: p must be within 0..100, got ${p}`);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The middle value (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  /** Range (max - min) of the medians of `chunks` consecutive chunks; NaN with fewer samples than chunks. */
  readonly spread: number;
}

export const CHUNKS = 5;

/** p50, p95 and the chunk-median spread of `values`, taken in the order they were measured. */
export function summarise(values: readonly number[], chunks = CHUNKS): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const size = Math.floor(values.length / chunks);
  let spread = NaN;
  if (size > 0) {
    const medians: number[] = [];
    for (let c = 0; c < chunks; c++)
      medians.push(
        percentile(
          [...values.slice(c * size, (c + 1) * size)].sort((a, b) => a - b),
          50,
        ),
      );
    spread = Math.max(...medians) - Math.min(...medians);
  }
  return { n: values.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), spread };
}

/** Frames per second in each of `chunks` equal time slices of [start, end] (ms), from frame completion times. */
export function chunkRates(times: readonly number[], start: number, end: number, chunks = CHUNKS): number[] {
  if (!(end > start)) throw new Error(`chunkRates: end (${end}) must be after start (${start})`);
  const width = (end - start) / chunks;
  const counts = new Array<number>(chunks).fill(0);
  for (const t of times) {
    if (t <= start || t > end) continue;
    // Slices are (a, b] like the window, so a frame on a boundary belongs to the slice it ends.
    counts[Math.min(chunks - 1, Math.ceil((t - start) / width) - 1)]! += 1;
  }
  return counts.map((c) => (c * 1000) / width);
}

/** Sustained fps over [start, end] with the range of the per-slice rates as its spread. */
export function rate(times: readonly number[], start: number, end: number, chunks = CHUNKS): { fps: number; spread: number } {
  const inside = times.filter((t) => t > start && t <= end).length;
  const slices = chunkRates(times, start, end, chunks);
  return { fps: (inside * 1000) / (end - start), spread: Math.max(...slices) - Math.min(...slices) };
}

/**
 * Whether two measurements of the same thing agree: their difference is within the larger of their own
 * spreads (a run that cannot tell its own chunks apart better than this cannot tell two runs apart either).
 */
export function agrees(a: { value: number; spread: number }, b: { value: number; spread: number }): boolean {
  if (!Number.isFinite(a.value) || !Number.isFinite(b.value)) return false;
  const tolerance = Math.max(Number.isFinite(a.spread) ? a.spread : 0, Number.isFinite(b.spread) ? b.spread : 0);
  return Math.abs(a.value - b.value) <= tolerance;
}
