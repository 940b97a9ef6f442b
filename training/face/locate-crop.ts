/**
 * Where a small square crop (a CK+48 image) was cut from its full frame (the CK+ sequence frame it came
 * from): a coarse-to-fine search over square regions, scored by normalised cross-correlation of area
 * averages (integral image, so each candidate costs cells^2, not its pixel count). Gives the dataset's real
 * framing in frame pixels, to check the crop-margin calibration against what the app sees in full frames.
 */
import type { Box, GrayImage } from '../../src/core/preprocess.ts';

export interface LocatedCrop {
  readonly box: Box;
  /** Normalised cross-correlation at the best match (1 = identical up to brightness and contrast). */
  readonly score: number;
}

function integral(image: GrayImage): Float64Array {
  const { width: w, height: h, data } = image;
  const sum = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      sum[(y + 1) * (w + 1) + x + 1] = (sum[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  return sum;
}

/** Mean over [x0, x1) x [y0, y1) (integer bounds inside the image). */
function areaMean(sum: Float64Array, w: number, x0: number, y0: number, x1: number, y1: number): number {
  const W = w + 1;
  const s = (sum[y1 * W + x1] ?? 0) - (sum[y0 * W + x1] ?? 0) - (sum[y1 * W + x0] ?? 0) + (sum[y0 * W + x0] ?? 0);
  return s / ((x1 - x0) * (y1 - y0));
}

/** cells x cells area averages of a square region, zero-mean and unit-norm (undefined when flat). */
function cellVector(sum: Float64Array, w: number, x: number, y: number, side: number, cells: number): Float64Array | undefined {
  const v = new Float64Array(cells * cells);
  let mean = 0;
  for (let j = 0; j < cells; j++) {
    const y0 = y + Math.round((j * side) / cells);
    const y1 = Math.max(y0 + 1, y + Math.round(((j + 1) * side) / cells));
    for (let i = 0; i < cells; i++) {
      const x0 = x + Math.round((i * side) / cells);
      const x1 = Math.max(x0 + 1, x + Math.round(((i + 1) * side) / cells));
      const m = areaMean(sum, w, x0, y0, x1, y1);
      v[j * cells + i] = m;
      mean += m;
    }
  }
  mean /= v.length;
  let norm = 0;
  for (let k = 0; k < v.length; k++) {
    const d = (v[k] ?? 0) - mean;
    v[k] = d;
    norm += d * d;
  }
  if (norm === 0) return undefined;
  norm = Math.sqrt(norm);
  for (let k = 0; k < v.length; k++) v[k] = (v[k] ?? 0) / norm;
  return v;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] ?? 0) * (b[k] ?? 0);
  return s;
}

interface Candidate {
  x: number;
  y: number;
  side: number;
  score: number;
}

export interface CropSearch {
  /** Smallest and largest region side to try, in frame pixels. */
  readonly minSide: number;
  readonly maxSide: number;
  /** Only regions inside this box (default: the whole frame); a guess narrows the search a lot. */
  readonly within?: Box;
}

/** Best square region of `frame` for `crop`; regions lie inside the frame. */
export function locateCrop(frame: GrayImage, crop: GrayImage, { minSide, maxSide, within }: CropSearch): LocatedCrop {
  const wx0 = Math.max(0, Math.floor(within?.x ?? 0));
  const wy0 = Math.max(0, Math.floor(within?.y ?? 0));
  const wx1 = Math.min(frame.width, Math.ceil(within ? within.x + within.width : frame.width));
  const wy1 = Math.min(frame.height, Math.ceil(within ? within.y + within.height : frame.height));
  const frameSum = integral(frame);
  const cropSum = integral(crop);
  const fw = frame.width;
  const search = (
    cells: number,
    sides: Iterable<number>,
    xs: (side: number) => Iterable<number>,
    ys: (side: number) => Iterable<number>,
  ): Candidate => {
    const target = cellVector(cropSum, crop.width, 0, 0, crop.width, cells);
    if (!target) throw new Error('locateCrop: the crop is flat');
    let best: Candidate = { x: 0, y: 0, side: 0, score: -Infinity };
    for (const side of sides) {
      for (const y of ys(side)) {
        for (const x of xs(side)) {
          const v = cellVector(frameSum, fw, x, y, side, cells);
          if (!v) continue;
          const score = dot(v, target);
          if (score > best.score) best = { x, y, side, score };
        }
      }
    }
    return best;
  };
  const range = function* (from: number, to: number, step: number): Generator<number> {
    for (let v = from; v <= to; v += step) yield v;
  };
  const hi = Math.min(maxSide, wx1 - wx0, wy1 - wy0);
  if (hi < minSide) throw new Error(`locateCrop: no region of side ${minSide}..${maxSide} fits the search window`);
  const coarse = search(
    12,
    range(minSide, hi, 3),
    (s) => range(wx0, wx1 - s, 3),
    (s) => range(wy0, wy1 - s, 3),
  );
  const clampRange = (c: number, r: number, min: number, max: number): Generator<number> =>
    range(Math.max(min, c - r), Math.min(max, c + r), 1);
  const fine = search(
    24,
    clampRange(coarse.side, 4, minSide, hi),
    (s) => clampRange(coarse.x, 4, wx0, wx1 - s),
    (s) => clampRange(coarse.y, 4, wy0, wy1 - s),
  );
  return { box: { x: fine.x, y: fine.y, width: fine.side, height: fine.side }, score: fine.score };
}
