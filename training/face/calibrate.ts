/**
 * Crop-margin calibration: datasets of ready-made face crops (FER2013, CK+48) fix a framing the CNN learns,
 * and the live app must reproduce it from the detector's box. For a crop image of side S whose detected
 * face box has larger side L, squareCropBox(box, m) spans S exactly when L * (1 + 2m) = S, so
 * m = (S / L - 1) / 2. The box centre's offset from the image centre (in box sides) says how far the
 * centred crop would sit from the dataset's framing.
 */
import type { Box } from '../../src/core/preprocess.ts';

/** The margin that makes squareCropBox(box, m) as large as the image (square images; else its larger side). */
export function framingMargin(box: Box, image: { readonly width: number; readonly height: number }): number {
  const side = Math.max(box.width, box.height);
  if (!(side > 0)) throw new Error(`framingMargin: empty face box ${JSON.stringify(box)}`);
  return (Math.max(image.width, image.height) / side - 1) / 2;
}

/** Box centre minus image centre, in units of the box's larger side (positive: right of / below centre). */
export function framingOffset(box: Box, image: { readonly width: number; readonly height: number }): { dx: number; dy: number } {
  const side = Math.max(box.width, box.height);
  return { dx: (box.x + box.width / 2 - image.width / 2) / side, dy: (box.y + box.height / 2 - image.height / 2) / side };
}

export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly p10: number;
  readonly p25: number;
  readonly p75: number;
  readonly p90: number;
  readonly mean: number;
  readonly std: number;
}

/** Linear-interpolated quantile (numpy's default) of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function spread(values: readonly number[]): Spread {
  const sorted = values.slice().sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n > 0 ? sorted.reduce((s, v) => s + v, 0) / n : NaN;
  const std = n > 0 ? Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : NaN;
  return {
    n,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    p90: quantile(sorted, 0.9),
    mean,
    std,
  };
}

export interface FramingFigures {
  readonly images: number;
  readonly detected: number;
  /** detected / images. */
  readonly detectionRate: number;
  readonly margin: Spread;
  readonly offsetX: Spread;
  readonly offsetY: Spread;
}

/** Figures over one dataset: `box` is the (largest, unclipped) detected face, absent where none was found. */
export function framingFigures(
  results: readonly { readonly box?: Box; readonly width: number; readonly height: number }[],
): FramingFigures {
  const margins: number[] = [];
  const dxs: number[] = [];
  const dys: number[] = [];
  for (const r of results) {
    if (!r.box) continue;
    margins.push(framingMargin(r.box, r));
    const { dx, dy } = framingOffset(r.box, r);
    dxs.push(dx);
    dys.push(dy);
  }
  return {
    images: results.length,
    detected: margins.length,
    detectionRate: results.length > 0 ? margins.length / results.length : NaN,
    margin: spread(margins),
    offsetX: spread(dxs),
    offsetY: spread(dys),
  };
}
