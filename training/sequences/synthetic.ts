/**
 * Training sequences synthesised from stills, for a temporal model when real sequences are few (CK+ has 40).
 * A clip holds one expression, moves smoothly to another and holds it: both stills share one slowly drifting
 * head pose (rotation, shift, zoom), lighting drifts, sensor noise is added, the expression change is a
 * smoothstep cross-fade over an onset of a few frames, and the valence/arousal target follows the same curve.
 * Only real sequences are used for evaluation.
 */
import { applyTransform, type AugmentTransform } from '../augment/augment.ts';
import type { Rng } from '../util/rng.ts';

export interface SyntheticOptions {
  length: number;
  size: number;
  /** Frames before the change starts: drawn in [min, max]. */
  holdFrames: readonly [number, number];
  /** Frames the change takes: drawn in [min, max]. */
  onsetFrames: readonly [number, number];
  /** Pixel value range (normalised images: [0, 1]). */
  valueRange: readonly [number, number];
  /** Standard deviation of per-pixel noise, in pixel units. */
  noise: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = {
  length: 130,
  size: 48,
  holdFrames: [20, 90],
  onsetFrames: [6, 24],
  valueRange: [0, 1],
  noise: 0.02,
};

export interface SyntheticClip {
  frames: Float32Array[];
  /** length x 2 valence/arousal. */
  targets: Float32Array;
  /** Cross-fade weight of the second still per frame (0..1). */
  mix: Float32Array;
}

function between(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + rng() * (hi - lo);
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const smoothstep = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** A bounded, mean-reverting random walk (an AR(1) process). */
function drift(prev: number, rng: Rng, keep: number, step: number, limit: number): number {
  const v = prev * keep + gaussian(rng) * step;
  return Math.max(-limit, Math.min(limit, v));
}

export function synthesizeClip(
  a: Float32Array,
  b: Float32Array,
  vaA: readonly [number, number],
  vaB: readonly [number, number],
  rng: Rng,
  options: Partial<SyntheticOptions> = {},
): SyntheticClip {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  if (a.length !== o.size * o.size || b.length !== o.size * o.size) throw new Error(`synthesizeClip: stills must be ${o.size}x${o.size}`);
  const hold = Math.round(between(rng, o.holdFrames));
  const onset = Math.max(1, Math.round(between(rng, o.onsetFrames)));
  const flip = rng() < 0.5;
  let rot = gaussian(rng) * 0.08;
  let sx = gaussian(rng) * 1;
  let sy = gaussian(rng) * 1;
  let zoom = 0;
  let light = 0;
  const frames: Float32Array[] = [];
  const targets = new Float32Array(o.length * 2);
  const mix = new Float32Array(o.length);
  const [lo, hi] = o.valueRange;
  for (let t = 0; t < o.length; t++) {
    rot = drift(rot, rng, 0.97, 0.01, 0.25);
    sx = drift(sx, rng, 0.97, 0.15, o.size * 0.06);
    sy = drift(sy, rng, 0.97, 0.15, o.size * 0.06);
    zoom = drift(zoom, rng, 0.97, 0.005, 0.08);
    light = drift(light, rng, 0.98, 0.01, 0.25);
    const tr: AugmentTransform = {
      rotationRad: rot,
      shiftX: sx,
      shiftY: sy,
      shearRad: 0,
      zoomX: 1 + zoom,
      zoomY: 1 + zoom,
      flip,
      brightness: 1 + light,
    };
    const w = smoothstep((t - hold) / onset);
    const fa = applyTransform(a, o.size, tr, o.valueRange);
    const fb = w > 0 ? applyTransform(b, o.size, tr, o.valueRange) : fa;
    const frame = new Float32Array(o.size * o.size);
    for (let i = 0; i < frame.length; i++) {
      const v = (1 - w) * (fa[i] ?? 0) + w * (fb[i] ?? 0) + gaussian(rng) * o.noise;
      frame[i] = v < lo ? lo : v > hi ? hi : v;
    }
    frames.push(frame);
    mix[t] = w;
    targets[2 * t] = (1 - w) * vaA[0] + w * vaB[0];
    targets[2 * t + 1] = (1 - w) * vaA[1] + w * vaB[1];
  }
  return { frames, targets, mix };
}
