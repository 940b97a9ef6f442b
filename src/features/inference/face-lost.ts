/**
 * What the readout does while the face is missing (a turned head, a hand, someone leaving the picture).
 *
 * - hold  (missed 1..holdFrames): the last value stays, the temporal state is frozen (frames without a face
 *   are not pushed into the window: a blink-long dropout does not disturb it);
 * - decay (up to resetFrames): the shown value slides toward neutral (0, 0) by `decayPerFrame` per frame and
 *   is marked stale, so a frozen readout does not pretend to be live;
 * - reset (from resetFrames on): the temporal window and the smoothing restart, nothing is shown until the
 *   face is back. A new person is then never judged on the previous person's window.
 *
 * Counted in processed frames (about 30 per second on wasm here): 10 frames ≈ 0.3 s, 45 ≈ 1.5 s.
 */
import type { ValenceArousal } from '../../core/emotions.ts';

export interface FaceLostPolicy {
  readonly holdFrames: number;
  readonly resetFrames: number;
  /** Multiplier applied to the shown value per decaying frame (0..1). */
  readonly decayPerFrame: number;
}

export const DEFAULT_FACE_LOST_POLICY: FaceLostPolicy = { holdFrames: 10, resetFrames: 45, decayPerFrame: 0.9 };

export type FaceLostPhase = 'tracking' | 'hold' | 'decay' | 'reset';

/** The phase after `missed` consecutive frames without a face. */
export function faceLostPhase(missed: number, policy: FaceLostPolicy = DEFAULT_FACE_LOST_POLICY): FaceLostPhase {
  if (missed <= 0) return 'tracking';
  if (missed <= policy.holdFrames) return 'hold';
  if (missed < policy.resetFrames) return 'decay';
  return 'reset';
}

/** The value to show after `missed` frames without a face, from the last value seen with one. */
export function valueWhileLost(
  last: ValenceArousal | undefined,
  missed: number,
  policy: FaceLostPolicy = DEFAULT_FACE_LOST_POLICY,
): ValenceArousal | undefined {
  if (!last) return undefined;
  const phase = faceLostPhase(missed, policy);
  if (phase === 'tracking' || phase === 'hold') return last;
  if (phase === 'reset') return undefined;
  const k = policy.decayPerFrame ** (missed - policy.holdFrames);
  return { valence: last.valence * k, arousal: last.arousal * k };
}
