/** What the CNN trainer consumes: preprocessed batches, streamed. */

export interface CnnBatch {
  n: number;
  /** n x size x size, preprocessed (src/core/preprocess.ts), augmented for training. */
  pixels: Float32Array;
  /** n x 8 class targets in EMOTIONS order (one-hot majority or vote distribution). */
  probs: Float32Array;
  /** n x 2 (valence, arousal). */
  va: Float32Array;
  /** n hard labels (EMOTIONS index), -1 where unknown. */
  labels: Int32Array;
}

export interface CnnData {
  trainSize(): number;
  /** Each class's share of the training class targets (summed target rows, EMOTIONS order), for class weights. */
  classMass(): number[];
  /** A fresh, seeded (by epoch) shuffled pass over the training set. */
  train(epoch: number): AsyncIterable<CnnBatch>;
  /** A pass over the validation set in a fixed order, no augmentation. */
  val(): AsyncIterable<CnnBatch>;
}
