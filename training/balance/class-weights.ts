/**
 * Per-class loss weights against class imbalance. FER+ train holds ~36% neutral votes and <1% disgust or
 * contempt votes; trained unweighted, the CNN never predicts disgust, fear or contempt. 'sqrt-inverse'
 * (w ∝ 1/sqrt(f)) is the milder of the two usual cures, 'inverse' (w ∝ 1/f) equalises the classes' total weight.
 * Weights are normalised so that sum_c f_c w_c = 1: the mean loss keeps its scale, and lr stays comparable.
 */
export type ClassWeighting = 'none' | 'sqrt-inverse' | 'inverse';

export const CLASS_WEIGHTINGS: readonly ClassWeighting[] = ['none', 'sqrt-inverse', 'inverse'];

/** `mass[c]`: the class's share of the training targets (any non-negative scale, e.g. summed vote distributions). */
export function classWeights(mass: readonly number[], mode: ClassWeighting): number[] {
  const total = mass.reduce((a, b) => a + b, 0);
  if (!(total > 0) || mass.some((m) => !(m >= 0)))
    throw new Error(`classWeights: class masses must be non-negative with a positive sum, got [${mass.join(', ')}]`);
  if (mode === 'none') return mass.map(() => 1);
  const f = mass.map((m) => m / total);
  // A class absent from training gets weight 0: it has no targets to weight anyway.
  const raw = f.map((fc) => (fc === 0 ? 0 : mode === 'inverse' ? 1 / fc : 1 / Math.sqrt(fc)));
  const norm = f.reduce((acc, fc, c) => acc + fc * raw[c]!, 0);
  return raw.map((w) => w / norm);
}
