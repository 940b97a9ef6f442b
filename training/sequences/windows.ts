/**
 * Stage 2 inputs: gap-free windows of per-frame CNN features, as in the paper: a window of W consecutive
 * frames predicts the valence/arousal of the frame after it, and windows are built only where no frame
 * is missing. Sequences shorter than W (all of CK+) are padded at the start by repeating their first frame,
 * i.e. the person is taken to have sat still before the clip began.
 */

export const FEATURE_SIZE = 300;

export interface FeatureSequence {
  id: string;
  subject?: string;
  /** The clip's emotion where the dataset gives one per clip. */
  emotion?: string;
  /** T x FEATURE_SIZE features, row-major. */
  features: Float32Array;
  /** T x 2 valence/arousal targets. */
  targets: Float32Array;
  /** T flags: 1 where the frame has a feature (face found), 0 for a gap. */
  present: Uint8Array;
  /** T flags: 1 where the frame has a target. */
  labelled: Uint8Array;
}

export interface WindowRef {
  /** Index into the sequence list. */
  seq: number;
  /** Index of the window's last frame; the target is frame end + 1. */
  end: number;
}

export interface WindowOptions {
  window: number;
  /** Allow windows that start before frame 0 (padded with frame 0). */
  padStart: boolean;
  /** Predict frame end + 1 (the paper) or frame end itself (streaming readout of the current frame). */
  target: 'next' | 'current';
}

/** Every gap-free window whose target frame is labelled. */
export function windowRefs(seqs: readonly FeatureSequence[], opts: WindowOptions): WindowRef[] {
  const refs: WindowRef[] = [];
  const shift = opts.target === 'next' ? 1 : 0;
  seqs.forEach((s, si) => {
    const T = s.present.length;
    // run = consecutive present frames ending at t
    let run = 0;
    for (let end = 0; end + shift < T; end++) {
      run = s.present[end] ? run + 1 : 0;
      if (!s.labelled[end + shift]) continue;
      const enough = run >= opts.window || (opts.padStart && run === end + 1);
      if (run > 0 && enough) refs.push({ seq: si, end });
    }
  });
  return refs;
}

/** Copies windows into one [B, W, F] batch and their [B, 2] targets. */
export function gatherWindows(
  seqs: readonly FeatureSequence[],
  refs: readonly WindowRef[],
  opts: WindowOptions,
): { xs: Float32Array; ys: Float32Array } {
  const W = opts.window;
  const F = FEATURE_SIZE;
  const shift = opts.target === 'next' ? 1 : 0;
  const xs = new Float32Array(refs.length * W * F);
  const ys = new Float32Array(refs.length * 2);
  refs.forEach((r, b) => {
    const s = seqs[r.seq];
    if (!s) throw new Error(`gatherWindows: no sequence ${r.seq}`);
    for (let k = 0; k < W; k++) {
      const t = Math.max(0, r.end - W + 1 + k);
      xs.set(s.features.subarray(t * F, (t + 1) * F), (b * W + k) * F);
    }
    ys[2 * b] = s.targets[2 * (r.end + shift)] ?? 0;
    ys[2 * b + 1] = s.targets[2 * (r.end + shift) + 1] ?? 0;
  });
  return { xs, ys };
}

/**
 * Fills frames without a prediction (no face, or before the first window) by linear interpolation between
 * the nearest predicted neighbours; frames before the first / after the last prediction take its value.
 * Returns a new array; an input with no known value is returned as zeros.
 */
export function interpolateMissing(values: ArrayLike<number>, known: ArrayLike<number | boolean>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    if (!known[i]) continue;
    const v = values[i] ?? 0;
    if (prev < 0) for (let j = 0; j < i; j++) out[j] = v;
    else {
      const pv = values[prev] ?? 0;
      for (let j = prev + 1; j < i; j++) out[j] = pv + ((v - pv) * (j - prev)) / (i - prev);
    }
    out[i] = v;
    prev = i;
  }
  if (prev >= 0) for (let j = prev + 1; j < n; j++) out[j] = values[prev] ?? 0;
  return out;
}
