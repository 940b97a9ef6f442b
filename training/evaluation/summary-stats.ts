/** Spread of a per-fold figure, as cross-validation results are reported (mean ± sd, min, max). */
export interface SummaryStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
  sd: number;
  min: number;
  max: number;
}

export function summaryStats(values: readonly number[]): SummaryStats {
  if (values.length === 0) throw new Error('summaryStats: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`summaryStats: non-finite value in [${values.join(', ')}]`);
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}
