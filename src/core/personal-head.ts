/**
 * Personal calibration: a small correction of the shipped expression heads, fitted to one person's face from a
 * few labelled frames (the person showed a neutral face, then happy, surprise, ...), shared by the app's worker and
 * by `npm run evaluate:personal` so that what is measured offline is what runs live.
 *
 * The correction is added to the shipped model's outputs, never replaces them:
 *   logits' = log(shipped class probabilities) + x . dW + db        (x: the frame's 300-d CNN feature, normalised)
 *   va'     = shipped valence/arousal        + x . dV + dc
 * so a zero correction gives the shipped readings exactly, and the L2 penalty on (dW, db, dV, dc) pulls the fit
 * toward them: a poor capture can move the readings only as far as its frames clearly ask. x is the feature scaled
 * to unit length and centred on the person's own mean feature, so the weights model how this person's expressions
 * differ from their own average face, and the biases model the person's constant offset.
 */
import { circumplexPoint, EMOTIONS, type Emotion } from './emotions.ts';

/** One captured frame: what the shipped model said, and what the person was asked to show. */
export interface CalibrationFrame {
  /** The CNN's 300-d feature output (mirror-averaged when the app mirror-averages). */
  readonly features: Float32Array;
  /** The shipped class probabilities, EMOTIONS order. */
  readonly probs: Float32Array;
  /** The shipped valence, arousal. */
  readonly va: readonly [number, number];
  /** The expression the person was asked to show. */
  readonly label: Emotion;
}

/** A fitted correction; plain numbers, so it can be stored (IndexedDB) and hashed. */
export interface PersonalHead {
  readonly featureSize: number;
  /** The person's mean unit-length feature, subtracted before the correction. */
  readonly centre: Float32Array;
  /** featureSize x EMOTIONS.length, row-major. */
  readonly dW: Float32Array;
  readonly db: Float32Array;
  /** featureSize x 2, row-major. */
  readonly dV: Float32Array;
  readonly dc: Float32Array;
  /** The expressions it was fitted on. */
  readonly classes: readonly Emotion[];
}

export interface FitOptions {
  /** L2 weight on the correction's weights (dW, dV): larger stays closer to the shipped model. */
  readonly weightPenalty: number;
  /** L2 weight on the biases (db, dc). */
  readonly biasPenalty: number;
  /** Full-batch Adam steps. */
  readonly steps: number;
  readonly learningRate: number;
}

/** Chosen on the validation half of the CK+48 subjects (MODEL_CARD.md, personal calibration). */
export const PERSONAL_FIT_DEFAULTS: FitOptions = { weightPenalty: 0.01, biasPenalty: 0.001, steps: 200, learningRate: 0.05 };

export interface CalibrationVerdict {
  /** Whether the correction should be used: false keeps the shipped model. */
  readonly accepted: boolean;
  /** Why, in words a person can act on. */
  readonly reason: string;
  /** Accuracy on the captured frames: the shipped model's, the corrected model's. */
  readonly shippedAccuracy: number;
  readonly personalAccuracy: number;
  /** With at least two frames of every expression: fitted on half of each expression's frames, scored on the rest. */
  readonly heldOut?: { readonly shippedAccuracy: number; readonly personalAccuracy: number; readonly frames: number };
}

const EPS = 1e-8;

function unit(features: Float32Array): Float32Array {
  let sum = 0;
  for (const v of features) sum += v * v;
  const norm = Math.sqrt(sum) + EPS;
  return features.map((v) => v / norm);
}

function meanOf(rows: readonly Float32Array[], size: number): Float32Array {
  const mean = new Float32Array(size);
  for (const r of rows) for (let i = 0; i < size; i++) mean[i]! += (r[i] ?? 0) / rows.length;
  return mean;
}

function checkFrames(frames: readonly CalibrationFrame[]): number {
  const first = frames[0];
  if (!first) throw new Error('personal calibration: no frames captured');
  const size = first.features.length;
  for (const f of frames) {
    if (f.features.length !== size) throw new Error(`personal calibration: features of ${f.features.length} values, expected ${size}`);
    if (f.probs.length !== EMOTIONS.length)
      throw new Error(`personal calibration: ${f.probs.length} class probabilities, expected ${EMOTIONS.length}`);
  }
  return size;
}

/** Adam on a flat parameter vector (the four corrections back to back), in place. */
function adamStepper(size: number, learningRate: number): (params: Float64Array, grad: Float64Array) => void {
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let t = 0;
  return (params, grad) => {
    t++;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = 0; i < size; i++) {
      const g = grad[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      params[i]! -= (learningRate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
    }
  };
}

/**
 * Fits the correction to the captured frames: mean softmax cross-entropy on the asked-for expressions plus the mean
 * squared distance of valence/arousal to their circumplex points, plus the L2 penalties; full-batch Adam. Plain
 * arithmetic (a few hundred thousand multiply-adds a step for a minute of frames), so the app's worker and the
 * offline evaluation compute the same numbers on every backend.
 */
export function fitPersonalHead(frames: readonly CalibrationFrame[], options: FitOptions = PERSONAL_FIT_DEFAULTS): PersonalHead {
  const size = checkFrames(frames);
  const units = frames.map((f) => unit(f.features));
  const centre = meanOf(units, size);
  const xs = units.map((u) => u.map((v, j) => v - centre[j]!));
  const n = frames.length;
  const C = EMOTIONS.length;
  const logP = frames.map((f) => Float64Array.from({ length: C }, (_, c) => Math.log(Math.max(f.probs[c] ?? 0, EPS))));
  const targets = frames.map((f) => circumplexPoint(f.label));
  const labels = frames.map((f) => EMOTIONS.indexOf(f.label));
  // Layout of the parameter vector: dW (size x C), db (C), dV (size x 2), dc (2).
  const oW = 0;
  const oB = size * C;
  const oV = oB + C;
  const oC = oV + size * 2;
  const total = oC + 2;
  const params = new Float64Array(total);
  const grad = new Float64Array(total);
  const step = adamStepper(total, options.learningRate);
  const logits = new Float64Array(C);
  const g = new Float64Array(C);
  const flat = new Float64Array(n * size);
  xs.forEach((x, i) => flat.set(x, i * size));
  for (let s = 0; s < options.steps; s++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const base = i * size;
      for (let c = 0; c < C; c++) logits[c] = logP[i]![c]! + params[oB + c]!;
      let v = frames[i]!.va[0] + params[oC]!;
      let a = frames[i]!.va[1] + params[oC + 1]!;
      for (let j = 0; j < size; j++) {
        const xj = flat[base + j]!;
        const row = oW + j * C;
        for (let c = 0; c < C; c++) logits[c]! += xj * params[row + c]!;
        v += xj * params[oV + j * 2]!;
        a += xj * params[oV + j * 2 + 1]!;
      }
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, logits[c]!);
      let sum = 0;
      for (let c = 0; c < C; c++) {
        g[c] = Math.exp(logits[c]! - max);
        sum += g[c]!;
      }
      // d(mean CE)/d logit = (softmax - onehot) / n; d(mean squared error)/d output = 2 (output - target) / n.
      for (let c = 0; c < C; c++) {
        g[c] = (g[c]! / sum - (c === labels[i] ? 1 : 0)) / n;
        grad[oB + c]! += g[c]!;
      }
      const gv = (2 * (v - targets[i]!.valence)) / n;
      const ga = (2 * (a - targets[i]!.arousal)) / n;
      grad[oC]! += gv;
      grad[oC + 1]! += ga;
      for (let j = 0; j < size; j++) {
        const xj = flat[base + j]!;
        const row = oW + j * C;
        for (let c = 0; c < C; c++) grad[row + c]! += xj * g[c]!;
        grad[oV + j * 2]! += xj * gv;
        grad[oV + j * 2 + 1]! += xj * ga;
      }
    }
    for (let k = 0; k < total; k++) {
      const penalty = (k >= oB && k < oV) || k >= oC ? options.biasPenalty : options.weightPenalty;
      grad[k]! += 2 * penalty * params[k]!;
    }
    step(params, grad);
  }
  const classes = EMOTIONS.filter((e) => frames.some((f) => f.label === e));
  const slice = (from: number, to: number): Float32Array => Float32Array.from(params.subarray(from, to));
  return { featureSize: size, centre, dW: slice(oW, oB), db: slice(oB, oV), dV: slice(oV, oC), dc: slice(oC, total), classes };
}

/** The corrected class probabilities and valence/arousal for one frame (plain arithmetic, no tensors). */
export function applyPersonalHead(
  head: PersonalHead,
  features: Float32Array,
  probs: Float32Array,
  va: readonly [number, number],
): { probs: Float32Array; va: [number, number] } {
  const { featureSize: size, centre, dW, db, dV, dc } = head;
  if (features.length !== size) throw new Error(`personal head: features of ${features.length} values, expected ${size}`);
  const C = EMOTIONS.length;
  const x = unit(features).map((v, j) => v - centre[j]!);
  const logits = new Float64Array(C);
  for (let c = 0; c < C; c++) logits[c] = Math.log(Math.max(probs[c] ?? 0, EPS)) + db[c]!;
  let v = va[0] + dc[0]!;
  let a = va[1] + dc[1]!;
  for (let j = 0; j < size; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    for (let c = 0; c < C; c++) logits[c]! += xj * dW[j * C + c]!;
    v += xj * dV[j * 2]!;
    a += xj * dV[j * 2 + 1]!;
  }
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const total = exp.reduce((s, e) => s + e, 0);
  return { probs: Float32Array.from(exp, (e) => e / total), va: [v, a] };
}

/** The class among `allowed` with the highest probability. */
export function argmaxAmong(probs: ArrayLike<number>, allowed: readonly Emotion[]): Emotion {
  let best: Emotion | undefined;
  for (const e of allowed) if (best === undefined || (probs[EMOTIONS.indexOf(e)] ?? 0) > (probs[EMOTIONS.indexOf(best)] ?? 0)) best = e;
  if (best === undefined) throw new Error('argmaxAmong: no class allowed');
  return best;
}

function accuracyOn(frames: readonly CalibrationFrame[], head: PersonalHead | undefined, allowed: readonly Emotion[]): number {
  let right = 0;
  for (const f of frames) {
    const probs = head ? applyPersonalHead(head, f.features, f.probs, f.va).probs : f.probs;
    if (argmaxAmong(probs, allowed) === f.label) right++;
  }
  return frames.length === 0 ? 0 : right / frames.length;
}

/** Every other frame of each expression, in capture order: [fit half, held-out half]. */
function splitHalves(frames: readonly CalibrationFrame[]): [CalibrationFrame[], CalibrationFrame[]] {
  const seen = new Map<Emotion, number>();
  const fit: CalibrationFrame[] = [];
  const held: CalibrationFrame[] = [];
  for (const f of frames) {
    const k = seen.get(f.label) ?? 0;
    seen.set(f.label, k + 1);
    (k % 2 === 0 ? fit : held).push(f);
  }
  return [fit, held];
}

/** The least share of captured frames the correction must read right before it is used. */
export const MIN_PERSONAL_ACCURACY = 0.75;

/**
 * Fits the correction and decides whether to use it. It is refused when fewer than two expressions were captured,
 * when even the fitted correction cannot tell the captured expressions apart (the person did not change expression,
 * or the frames are noise), when it reads them no better than the shipped model, or, with two or more frames of every
 * expression, when a correction fitted on half of them reads the other half worse than the shipped model does.
 */
export function calibrate(
  frames: readonly CalibrationFrame[],
  options: FitOptions = PERSONAL_FIT_DEFAULTS,
): { head: PersonalHead; verdict: CalibrationVerdict } {
  const head = fitPersonalHead(frames, options);
  const allowed = head.classes;
  const shippedAccuracy = accuracyOn(frames, undefined, allowed);
  const personalAccuracy = accuracyOn(frames, head, allowed);
  const verdict = (
    accepted: boolean,
    reason: string,
    heldOut?: CalibrationVerdict['heldOut'],
  ): { head: PersonalHead; verdict: CalibrationVerdict } => ({
    head,
    verdict: { accepted, reason, shippedAccuracy, personalAccuracy, ...(heldOut ? { heldOut } : {}) },
  });
  if (allowed.length < 2) return verdict(false, 'only one expression was captured: show at least two different expressions');
  if (personalAccuracy < MIN_PERSONAL_ACCURACY) {
    return verdict(
      false,
      `the expressions could not be told apart (${Math.round(personalAccuracy * 100)}% of the frames read right): make each expression clearly, holding it while the countdown runs`,
    );
  }
  if (personalAccuracy < shippedAccuracy) return verdict(false, 'the shipped model already reads these frames better');
  const counts = allowed.map((e) => frames.filter((f) => f.label === e).length);
  if (Math.min(...counts) < 2) return verdict(true, 'fitted; too few frames per expression to check it on held-out frames');
  const [fitHalf, heldHalf] = splitHalves(frames);
  const halfHead = fitPersonalHead(fitHalf, options);
  const heldOut = {
    shippedAccuracy: accuracyOn(heldHalf, undefined, allowed),
    personalAccuracy: accuracyOn(heldHalf, halfHead, allowed),
    frames: heldHalf.length,
  };
  if (heldOut.personalAccuracy < heldOut.shippedAccuracy) {
    return verdict(
      false,
      `on frames it was not fitted to, the correction read ${Math.round(heldOut.personalAccuracy * 100)}% right against the shipped model's ${Math.round(heldOut.shippedAccuracy * 100)}%: capture again, holding each expression steadily`,
      heldOut,
    );
  }
  return verdict(true, 'fitted and checked on held-out frames', heldOut);
}
