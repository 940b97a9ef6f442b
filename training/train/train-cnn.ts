/** Stage 1 of the paper's two-stage method: the CNN, classes and/or valence/arousal heads. */
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';
import type { CnnConfig } from '../config/config.ts';
import { cccLoss, mseLoss, softCrossEntropy } from '../metrics/losses.ts';
import { evaluateCnn, selectionMetric } from './evaluate-cnn.ts';
import { buildCnn } from '../models/build.ts';
import type { LoopState } from './checkpoint.ts';
import type { CnnData } from './cnn-data.ts';
import { runTrainingLoop, type LoopOptions, type TrainBatch } from './loop.ts';

export interface TrainCnnResult {
  state: LoopState;
  runDir: string;
  model: tf.LayersModel;
}

export async function trainCnn(config: CnnConfig, data: CnnData, opts: LoopOptions): Promise<TrainCnnResult> {
  const size = config.inputSize;
  const { state, model } = await runTrainingLoop(
    {
      runDir: config.outDir,
      epochs: config.epochs,
      seed: config.seed,
      optim: config.optim,
      config,
      title: `CNN (${config.model}, ${size}px) on ${path.basename(config.data)}`,
      build: () => buildCnn(config),
      losses: () => {
        const loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {};
        const weights: Record<string, number> = {};
        if (config.heads !== 'va') {
          loss.classes = (y, p) => softCrossEntropy(y, p);
          weights.classes = config.lossWeights.classes;
        }
        if (config.heads !== 'classes') {
          loss.va = config.vaLoss === 'ccc' ? cccLoss : mseLoss;
          weights.va = config.lossWeights.va;
        }
        return { loss, weights };
      },
      trainSize: () => data.trainSize(),
      async *trainBatches(epoch: number): AsyncIterable<TrainBatch> {
        for await (const b of data.train(epoch)) {
          yield {
            n: b.n,
            xs: tf.tensor4d(b.pixels, [b.n, size, size, 1]),
            ys: { classes: tf.tensor2d(b.probs, [b.n, EMOTIONS.length]), va: tf.tensor2d(b.va, [b.n, 2]) },
          };
        }
      },
      validate: async (m) => {
        const e = await evaluateCnn(m, data.val(), size, EMOTIONS.length);
        return { metrics: e.metrics, selection: selectionMetric(e, config.heads), details: e };
      },
    },
    opts,
  );
  return { state, runDir: config.outDir, model };
}
