/** Mean and population standard deviation (the spread of the readings themselves, not an estimate's error). */
export function meanAndSpread(values: readonly number[]): { mean: number; sd: number } {
  if (values.length === 0) throw new Error('meanAndSpread: no values');
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}
