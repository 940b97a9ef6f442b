/**
 * The paper's Table III on the CK+ sequences (arXiv 2006.11168): CNN alone vs CNN + SimpleRNN vs CNN + GRU vs
 * CNN + 3-layer GRU, per-frame valence/arousal CCC and RMSE against targets interpolated from neutral (first
 * frame) to the expression's circumplex point (apex, last frame), apex accuracy, and jitter on a steady clip.
 * The pure parts live here; training/cli/temporal-table.ts runs the subject folds.
 */
import { circumplexPoint, type Emotion } from '../../src/core/emotions.ts';
import type { FaceToCrop, RawImage } from '../../src/core/preprocess.ts';
import type { Rng } from '../util/rng.ts';

/** The category whose circumplex point is nearest (Euclidean) to a valence/arousal prediction. */
export function nearestCategory(valence: number, arousal: number, candidates: readonly Emotion[]): Emotion {
  if (candidates.length === 0) throw new Error('nearestCategory: no candidate categories');
  let best = candidates[0]!;
  let bestD = Infinity;
  for (const c of candidates) {
    const p = circumplexPoint(c);
    const d = (p.valence - valence) ** 2 + (p.arousal - arousal) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Mean absolute frame-to-frame change of a series (0 for fewer than two values). */
export function meanAbsStep(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += Math.abs((values[i] ?? 0) - (values[i - 1] ?? 0));
  return sum / (values.length - 1);
}

/** A standard normal draw (Box–Muller) from a uniform seeded generator. */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** What a steady clip perturbs from frame to frame, as a live camera does. */
export interface SteadyNoise {
  /** Standard deviation of the box centre's shift, as a fraction of the box side (detector jitter). */
  boxShift: number;
  /** Standard deviation of the box side's relative change. */
  boxScale: number;
  /** Standard deviation of additive sensor noise, in 0..255 gray levels. */
  pixelSigma: number;
}

/** One jittered face box per frame around `box`. */
export function jitteredBoxes(box: FaceToCrop, frames: number, noise: SteadyNoise, rng: Rng): FaceToCrop[] {
  const out: FaceToCrop[] = [];
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let i = 0; i < frames; i++) {
    const s = 1 + noise.boxScale * gaussian(rng);
    const w = box.width * s;
    const h = box.height * s;
    const x = cx + noise.boxShift * box.width * gaussian(rng) - w / 2;
    const y = cy + noise.boxShift * box.height * gaussian(rng) - h / 2;
    out.push({ x, y, width: w, height: h, roll: box.roll });
  }
  return out;
}

/** The image with additive Gaussian noise, clipped to 0..255 (a new image; the input is unchanged). */
export function withSensorNoise(image: RawImage, sigma: number, rng: Rng): RawImage {
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (image.data[i] ?? 0) + sigma * gaussian(rng);
  return { data, width: image.width, height: image.height, channels: image.channels };
}

/** Mean and (sample) standard deviation. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}
