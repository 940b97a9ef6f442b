/**
 * Whether a face's reading can be trusted, from signals the worker measures on every analysed frame. The
 * expression model was trained on evenly lit faces of 48+ px (CK+48, FER+); outside these limits its
 * output is kept but marked unreliable.
 */

export interface QualitySignals {
  /** The box's larger side in source pixels. */
  readonly sizePx: number;
  /** Mean gray level of the model's crop, 0..255. */
  readonly brightness: number;
  /** The face detector's score. */
  readonly score: number;
}

export interface QualityThresholds {
  readonly minBrightness: number;
  readonly maxBrightness: number;
  readonly minSizePx: number;
  readonly minScore: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { minBrightness: 40, maxBrightness: 215, minSizePx: 60, minScore: 0.6 };

export type QualityIssue = 'dark' | 'bright' | 'small' | 'uncertain';

/** The reasons a reading is unreliable, most important first; empty when it is fine. */
export function qualityIssues(q: QualitySignals, t: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): QualityIssue[] {
  const issues: QualityIssue[] = [];
  if (q.brightness < t.minBrightness) issues.push('dark');
  if (q.brightness > t.maxBrightness) issues.push('bright');
  if (q.sizePx < t.minSizePx) issues.push('small');
  if (q.score < t.minScore) issues.push('uncertain');
  return issues;
}
