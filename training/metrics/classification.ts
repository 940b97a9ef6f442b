/** Whole-set classification metrics on plain arrays of class indices. */

function checkLabels(name: string, labels: ArrayLike<number>, preds: ArrayLike<number>, numClasses?: number): void {
  if (labels.length !== preds.length) {
    throw new Error(`${name}: ${labels.length} labels but ${preds.length} predictions`);
  }
  if (labels.length === 0) throw new Error(`${name}: no samples`);
  if (numClasses === undefined) return;
  for (let i = 0; i < labels.length; i++) {
    for (const [what, v] of [
      ['label', labels[i]],
      ['prediction', preds[i]],
    ] as const) {
      if (v === undefined || !Number.isInteger(v) || v < 0 || v >= numClasses) {
        throw new Error(`${name}: ${what} ${i} is ${v}, not a class index in 0..${numClasses - 1}`);
      }
    }
  }
}

/** Fraction of predictions equal to the label. */
export function accuracy(labels: ArrayLike<number>, preds: ArrayLike<number>): number {
  checkLabels('accuracy', labels, preds);
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === preds[i]) hit++;
  return hit / labels.length;
}

/** counts[true][predicted]. */
export function confusionMatrix(labels: ArrayLike<number>, preds: ArrayLike<number>, numClasses: number): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new Error(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  checkLabels('confusionMatrix', labels, preds, numClasses);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = m[labels[i] ?? 0];
    const p = preds[i] ?? 0;
    if (row) row[p] = (row[p] ?? 0) + 1;
  }
  return m;
}

/** Per-class F1 from a confusion matrix; NaN for a class that is neither present nor predicted. */
export function perClassF1(matrix: readonly (readonly number[])[]): number[] {
  const k = matrix.length;
  return matrix.map((row, c) => {
    const tp = row[c] ?? 0;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += row[j] ?? 0;
      predicted += matrix[j]?.[c] ?? 0;
    }
    if (support === 0 && predicted === 0) return NaN;
    return (2 * tp) / (support + predicted);
  });
}

/**
 * Unweighted mean of per-class F1 over the classes present in the labels or the predictions (scikit-learn's
 * default `f1_score(average='macro')` label set); a present class never predicted correctly counts as 0.
 */
export function macroF1(labels: ArrayLike<number>, preds: ArrayLike<number>, numClasses: number): number {
  const f1 = perClassF1(confusionMatrix(labels, preds, numClasses)).filter((f) => !Number.isNaN(f));
  return f1.reduce((s, f) => s + f, 0) / f1.length;
}
