import type { GruStackWeights } from '../../core/streaming-gru.ts';

/** A one-unit GRU whose output is its hidden state (all gates driven by the first feature). */
export const tinyGru: GruStackWeights = {
  layers: [
    {
      inputSize: 1,
      units: 1,
      kernel: Float32Array.from([0, 0, 2]),
      recurrentKernel: Float32Array.from([0, 0, 0]),
      bias: Float32Array.from([0, 0, 0]),
    },
  ],
  head: { inputSize: 1, outputs: 2, kernel: Float32Array.from([1, 1]), bias: Float32Array.from([0, 0]) },
};
