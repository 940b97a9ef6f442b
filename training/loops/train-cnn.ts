/** Stage 1 of the paper's two-stage method: the CNN, classes and/or valence/arousal heads. */
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';
import type { CnnConfig } from '../config/config.ts';
import { cccLoss, mseLoss, softCrossEntropy } from '../metrics/losses.ts';
import { evaluateCnn, selectionMetric } from '../evaluation/evaluate-cnn.ts';
import { buildCnn } from '../models/build.ts';
import { bestDir, loadModelFrom, type LoopState } from './checkpoint.ts';
import { CLASS_WEIGHTINGS, classWeights } from '../balance/class-weights.ts';
import { ConfigError } from '../config/config.ts';
import type { CnnData } from '../data/cnn-data.ts';
import { runTrainingLoop, type LoopOptions, type TrainBatch } from './loop.ts';

export interface TrainCnnResult {
  state: LoopState;
  runDir: string;
  model: tf.LayersModel;
}

/**
 * Copies a trained run's best weights into `model`, layer by layer by name (an exported model lists its heads in
 * another order); the architectures must match layer for layer and weight for weight.
 */
async function initFromRun(model: tf.LayersModel, runDir: string): Promise<void> {
  const source = await loadModelFrom(bestDir(runDir));
  try {
    const mismatch = (why: string): ConfigError =>
      new ConfigError(`--initFrom ${runDir}: its model does not match this config's architecture (${why})`);
    const withWeights = (m: tf.LayersModel): string[] =>
      m.layers
        .filter((l) => l.weights.length > 0)
        .map((l) => l.name)
        .sort();
    if (withWeights(source).join() !== withWeights(model).join())
      throw mismatch(`layers ${withWeights(source).join(', ')} vs ${withWeights(model).join(', ')}`);
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const from = source.getLayer(layer.name).getWeights();
      const to = layer.getWeights();
      const bad = to.findIndex((w, i) => !from[i] || from[i].shape.join('x') !== w.shape.join('x'));
      if (from.length !== to.length || bad >= 0)
        throw mismatch(
          `layer ${layer.name}: ${from.map((w) => w.shape.join('x')).join(', ')} vs ${to.map((w) => w.shape.join('x')).join(', ')}`,
        );
      layer.setWeights(from);
    }
  } finally {
    source.dispose();
  }
}

export async function trainCnn(config: CnnConfig, data: CnnData, opts: LoopOptions): Promise<TrainCnnResult> {
  const size = config.inputSize;
  if (config.keep !== 'best' && config.keep !== 'last') throw new ConfigError(`--keep must be best or last, got "${config.keep}"`);
  if (!CLASS_WEIGHTINGS.includes(config.classWeighting))
    throw new ConfigError(`--classWeighting must be one of ${CLASS_WEIGHTINGS.join(', ')}, got "${config.classWeighting}"`);
  const { state, model } = await runTrainingLoop(
    {
      runDir: config.outDir,
      epochs: config.epochs,
      seed: config.seed,
      optim: config.optim,
      config,
      title: `CNN (${config.model}, ${size}px) on ${path.basename(config.data)}`,
      build: async () => {
        const model = buildCnn(config);
        if (config.initFrom) await initFromRun(model, config.initFrom);
        return model;
      },
      losses: () => {
        const loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {};
        const weights: Record<string, number> = {};
        if (config.heads !== 'va') {
          const w = classWeights(data.classMass(), config.classWeighting);
          loss.classes = config.classWeighting === 'none' ? (y, p) => softCrossEntropy(y, p) : (y, p) => softCrossEntropy(y, p, false, w);
          weights.classes = config.lossWeights.classes;
        }
        if (config.heads !== 'classes') {
          loss.va = config.vaLoss === 'ccc' ? cccLoss : mseLoss;
          weights.va = config.lossWeights.va;
        }
        return { loss, weights };
      },
      keepLast: config.keep === 'last',
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
