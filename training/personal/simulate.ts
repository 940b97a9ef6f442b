/**
 * Personal calibration simulated on a labelled dataset with subject ids: for each subject, K images of each of
 * their expressions play the calibration capture, the subject's other images are the test; the shipped model and
 * the calibrated one (src/core/personal-head.ts, with its guard) are scored on the same test images.
 */
import { circumplexPoint, type Emotion } from '../../src/core/emotions.ts';
import { applyPersonalHead, argmaxAmong, calibrate, type CalibrationFrame, type FitOptions } from '../../src/core/personal-head.ts';
import { ccc } from '../metrics/regression.ts';
import { createRng, deriveSeed, shuffled } from '../util/rng.ts';

/** One image of one subject, with the shipped model's outputs on it. */
export interface SubjectFrame extends CalibrationFrame {
  readonly subject: string;
  readonly id: string;
}

export interface Scores {
  readonly accuracy: number;
  /** Predicted valence / arousal against the circumplex point of each test image's label. */
  readonly valence: readonly number[];
  readonly arousal: readonly number[];
}

export interface SubjectResult {
  readonly subject: string;
  readonly shots: number;
  readonly tested: number;
  readonly accepted: boolean;
  readonly reason: string;
  readonly shippedAccuracy: number;
  /** The calibrated model's accuracy: the shipped model's when the guard kept it. */
  readonly personalAccuracy: number;
  /** Per test image, in order: the va predicted before and after, for pooled CCC. */
  readonly before: readonly (readonly [number, number])[];
  readonly after: readonly (readonly [number, number])[];
  readonly labels: readonly Emotion[];
}

/** K images of each expression (a seeded draw) for the capture; the rest of the subject's images for the test. */
export function splitShots<T extends { readonly label: Emotion }>(
  frames: readonly T[],
  shots: number,
  seed: number,
): { capture: T[]; test: T[] } {
  if (!Number.isInteger(shots) || shots < 1) throw new Error(`--shots must be a whole number >= 1, got ${shots}`);
  const capture: T[] = [];
  const test: T[] = [];
  const labels = [...new Set(frames.map((f) => f.label))].sort();
  labels.forEach((label, i) => {
    const mine = shuffled(
      frames.filter((f) => f.label === label),
      createRng(deriveSeed(seed, i)),
    );
    capture.push(...mine.slice(0, shots));
    test.push(...mine.slice(shots));
  });
  return { capture, test };
}

/** One subject's simulation; `allowed` are the dataset's classes (argmax among them, as every evaluation here). */
export function simulateSubject(
  frames: readonly SubjectFrame[],
  shots: number,
  allowed: readonly Emotion[],
  seed: number,
  fit?: FitOptions,
): SubjectResult {
  const subject = frames[0]?.subject ?? '';
  const { capture, test } = splitShots(frames, shots, seed);
  const { head, verdict } = calibrate(capture, fit);
  const before = test.map((f) => ({ probs: f.probs, va: f.va }));
  const after = verdict.accepted ? test.map((f) => applyPersonalHead(head, f.features, f.probs, f.va)) : before;
  const right = (outs: readonly { probs: Float32Array }[]): number =>
    outs.filter((o, i) => argmaxAmong(o.probs, allowed) === test[i]!.label).length;
  return {
    subject,
    shots: capture.length,
    tested: test.length,
    accepted: verdict.accepted,
    reason: verdict.reason,
    shippedAccuracy: test.length ? right(before) / test.length : NaN,
    personalAccuracy: test.length ? right(after) / test.length : NaN,
    before: before.map((o) => [o.va[0], o.va[1]] as const),
    after: after.map((o) => [o.va[0], o.va[1]] as const),
    labels: test.map((f) => f.label),
  };
}

export interface Summary {
  readonly subjects: number;
  readonly tested: number;
  readonly accepted: number;
  /** Pooled over every test image. */
  readonly shippedAccuracy: number;
  readonly personalAccuracy: number;
  /** Mean over subjects (each subject weighs the same). */
  readonly meanSubjectGain: number;
  /** The largest drop of any subject, in accuracy points (0 when none dropped). */
  readonly worstSubjectDrop: number;
  readonly ccc: { readonly before: { valence: number; arousal: number }; readonly after: { valence: number; arousal: number } };
}

export function summarise(results: readonly SubjectResult[]): Summary {
  const scored = results.filter((r) => r.tested > 0);
  const tested = scored.reduce((s, r) => s + r.tested, 0);
  const pooled = (key: 'shippedAccuracy' | 'personalAccuracy'): number => scored.reduce((s, r) => s + r[key] * r.tested, 0) / tested;
  const labels = scored.flatMap((r) => r.labels).map(circumplexPoint);
  const vaCcc = (pairs: readonly (readonly [number, number])[]): { valence: number; arousal: number } => ({
    valence: ccc(
      Float64Array.from(pairs, (p) => p[0]),
      Float64Array.from(labels, (l) => l.valence),
    ),
    arousal: ccc(
      Float64Array.from(pairs, (p) => p[1]),
      Float64Array.from(labels, (l) => l.arousal),
    ),
  });
  const gains = scored.map((r) => r.personalAccuracy - r.shippedAccuracy);
  return {
    subjects: scored.length,
    tested,
    accepted: scored.filter((r) => r.accepted).length,
    shippedAccuracy: pooled('shippedAccuracy'),
    personalAccuracy: pooled('personalAccuracy'),
    meanSubjectGain: gains.reduce((s, g) => s + g, 0) / Math.max(1, gains.length),
    worstSubjectDrop: Math.max(0, ...gains.map((g) => -g)),
    ccc: { before: vaCcc(scored.flatMap((r) => r.before)), after: vaCcc(scored.flatMap((r) => r.after)) },
  };
}

/** Subjects sorted by id, alternately assigned: 'validation' (0, 2, 4, ...) chooses settings, 'test' (1, 3, ...) reports. */
export function subjectHalf(subjects: readonly string[], half: 'validation' | 'test' | 'all'): Set<string> {
  const sorted = [...new Set(subjects)].sort();
  return new Set(half === 'all' ? sorted : sorted.filter((_, i) => (i % 2 === 0) === (half === 'validation')));
}
