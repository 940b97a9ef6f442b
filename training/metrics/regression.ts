/**
 * Whole-set regression metrics on plain arrays. The paper's reported CCCs are averages of per-batch CCCs;
 * these are computed once over the whole set, which is what we report.
 */

function checkPair(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`${name}: arrays differ in length (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new Error(`${name}: empty arrays`);
}

/**
 * Lin's concordance correlation coefficient, 2 cov(a, b) / (var a + var b + (mean a - mean b)^2), with
 * population (1/n) moments. Two identical constant series agree perfectly and give 1 (the formula is 0/0).
 */
export function ccc(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair('ccc', a, b);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let va = 0;
  let vb = 0;
  let cov = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    va += da * da;
    vb += db * db;
    cov += da * db;
  }
  const denom = va / n + vb / n + (ma - mb) * (ma - mb);
  if (denom === 0) return 1;
  return (2 * cov) / n / denom;
}

/** Root mean squared error. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair('rmse', a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    s += d * d;
  }
  return Math.sqrt(s / a.length);
}
