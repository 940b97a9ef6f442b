/**
 * Stage 4 of a frame, in the model worker (worker.ts): the expression CNN (expression-model.ts, on the backend
 * backend-activation.ts started) on the crop from stage 3, then the person's calibration, when one is in use, on
 * its output (personalise.ts). The shipped output is kept beside the corrected one: the temporal model was trained
 * on the shipped features, and the page shows both.
 */
import type { ValenceArousal } from '../../../core/emotions.ts';
import type { ExpressionModel, ExpressionOutput } from '../../inference/expression-outputs.ts';
import { personalise } from '../../inference/personalise.ts';
import type { ActiveProfile } from '../protocol.ts';

export interface ExpressionReading {
  /** The shipped model's own output. */
  readonly shipped: ExpressionOutput;
  /** What the page is shown: `shipped`, or with the personal correction applied. */
  readonly output: ExpressionOutput;
  /** The profile whose correction shaped `output`. */
  readonly profile?: ActiveProfile;
  /** What the correction added to valence/arousal (stage 5 adds the same to the temporal model's output). */
  readonly vaCorrection?: ValenceArousal;
}

/** The personal correction on a shipped output; `shipped` itself when no profile is in use. */
export function applyProfile(shipped: ExpressionOutput, profile: ActiveProfile | undefined): ExpressionReading {
  if (!profile) return { shipped, output: shipped };
  const { output, vaCorrection } = personalise(profile.head, shipped);
  return { shipped, output, profile, vaCorrection };
}

/**
 * The CNN on one crop, then the correction of the profile in use once it answers (`profileNow` is read after the
 * model ran, so a profile change that arrived meanwhile applies).
 */
export async function readExpression(
  model: ExpressionModel,
  input: Float32Array,
  profileNow: () => ActiveProfile | undefined,
): Promise<ExpressionReading> {
  const shipped = await model.predict(input);
  return applyProfile(shipped, profileNow());
}
