/**
 * Stage 5 of a frame, in the model worker: the streaming GRU (src/core/streaming-gru.ts) takes the CNN's features
 * and answers for the window of frames ending here. Its output, or the CNN's own valence/arousal without a temporal
 * model, is the sample the readout smooths (stage 6), with the personal correction of stage 4 added: the temporal
 * model itself knows nothing of the person.
 */
import type { ValenceArousal } from '../../../core/emotions.ts';
import type { StreamingGru } from '../../../core/streaming-gru.ts';

export interface CnnReading {
  readonly features: ArrayLike<number>;
  readonly va: ValenceArousal;
  /** A personal calibration's valence/arousal correction for this frame (stage 4). */
  readonly vaCorrection?: ValenceArousal;
}

export interface TemporalReading {
  /** What stage 6 smooths. */
  readonly sample: ValenceArousal;
  /** The temporal model's own output this frame; undefined without one. */
  readonly temporal: ValenceArousal | undefined;
}

/** Pushes the frame into `gru` (which keeps the window) and reads the sample. */
export function temporalReading(gru: StreamingGru | undefined, cnn: CnnReading): TemporalReading {
  let temporal: ValenceArousal | undefined;
  let sample = cnn.va;
  if (gru) {
    const out = gru.push(cnn.features);
    temporal = { valence: out[0] ?? 0, arousal: out[1] ?? 0 };
    sample = temporal;
  }
  if (cnn.vaCorrection) sample = { valence: sample.valence + cnn.vaCorrection.valence, arousal: sample.arousal + cnn.vaCorrection.arousal };
  return { sample, temporal };
}
