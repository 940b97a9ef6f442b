import type { Emotion } from '../../src/core/emotions.ts';
import type { RawImage } from '../../src/core/preprocess.ts';

/** One expression model under comparison, loaded into this process's tfjs. */
export interface EmotionClassifier {
  /** Short name for tables. */
  readonly name: string;
  /** Package and version, or folder, the weights came from. */
  readonly source: string;
  /** The model's own preprocessing, in words, with where it is documented. */
  readonly preprocessing: string;
  /** Output order as canonical classes. */
  readonly labels: readonly Emotion[];
  /** Class probabilities (labels order) for one face crop, which is the whole image. Batch 1. */
  classify(image: RawImage): Float32Array;
  dispose(): void;
}
