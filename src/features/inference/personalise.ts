/** The expression model's output with a personal correction applied (src/core/personal-head.ts). */
import type { ValenceArousal } from '../../core/emotions.ts';
import { applyPersonalHead, type PersonalHead } from '../../core/personal-head.ts';
import type { ExpressionOutput } from './expression-outputs.ts';

export interface Personalised {
  readonly output: ExpressionOutput;
  /** What the correction added to valence/arousal this frame (the readout adds the same to the temporal model's output). */
  readonly vaCorrection: ValenceArousal;
}

export function personalise(head: PersonalHead, shipped: ExpressionOutput): Personalised {
  const { probs, va } = applyPersonalHead(head, shipped.features, shipped.probs, [shipped.va.valence, shipped.va.arousal]);
  return {
    output: { features: shipped.features, probs, va: { valence: va[0], arousal: va[1] } },
    vaCorrection: { valence: va[0] - shipped.va.valence, arousal: va[1] - shipped.va.arousal },
  };
}
