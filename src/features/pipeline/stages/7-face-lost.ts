/**
 * Stage 7, in the model worker, for a frame without a face (stages 4-6 did not run): hold, decay toward neutral,
 * then restart, by the policy in face-lost.ts.
 */
import type { ValenceArousal } from '../../../core/emotions.ts';
import { DEFAULT_FACE_LOST_POLICY, faceLostPhase, valueWhileLost } from '../../inference/face-lost.ts';
import type { FaceLostPhase, FaceLostPolicy } from '../../inference/face-lost.ts';

export interface FaceLost {
  /** What to show. */
  readonly va: ValenceArousal | undefined;
  readonly phase: FaceLostPhase;
  /** The temporal window and the smoothing start over from this frame (a new person is not judged on the last one's window). */
  readonly restart: boolean;
}

/** The readout for the `missed`-th frame in a row without a face, from the last smoothed value. */
export function whileFaceLost(
  last: ValenceArousal | undefined,
  missed: number,
  policy: FaceLostPolicy = DEFAULT_FACE_LOST_POLICY,
): FaceLost {
  const phase = faceLostPhase(missed, policy);
  return { va: valueWhileLost(last, missed, policy), phase, restart: phase === 'reset' };
}
