/** Stage 2 of the paper's method: a recurrent model over 100-frame windows of the CNN's 300-d features. */
import * as tf from '../backend/tf.ts';
import type { RnnConfig } from '../config/config.ts';
import { cccLoss } from '../metrics/losses.ts';
import { ccc, rmse } from '../metrics/regression.ts';
import { buildRnn, initFromVaHead, type VaHeadWeights } from '../models/rnn.ts';
import { VA_OUTPUT } from '../models/heads.ts';
import { bestDir, loadModelFrom } from './checkpoint.ts';
import {
  FEATURE_SIZE,
  gatherWindows,
  interpolateMissing,
  windowRefs,
  type FeatureSequence,
  type WindowOptions,
  type WindowRef,
} from '../sequences/windows.ts';
import { createRng, deriveSeed, shuffled } from '../util/rng.ts';
import type { LoopState } from './checkpoint.ts';
import { runTrainingLoop, type LoopOptions, type TrainBatch } from './loop.ts';

export interface RnnTrainData {
  train: FeatureSequence[];
  val: FeatureSequence[];
}

export interface RnnEvaluation {
  windows: number;
  metrics: Record<string, number>;
}

/** Valence/arousal CCC and RMSE of the model on every window of `seqs`. */
export async function evaluateRnn(
  model: tf.LayersModel,
  seqs: readonly FeatureSequence[],
  opts: WindowOptions,
  batch = 256,
): Promise<RnnEvaluation> {
  const refs = windowRefs(seqs, opts);
  const pred: number[][] = [[], []];
  const truth: number[][] = [[], []];
  for (let i = 0; i < refs.length; i += batch) {
    const chunk = refs.slice(i, i + batch);
    const { xs, ys } = gatherWindows(seqs, chunk, opts);
    const x = tf.tensor3d(xs, [chunk.length, opts.window, FEATURE_SIZE]);
    const y = model.predict(x) as tf.Tensor;
    const v = await y.data();
    tf.dispose([x, y]);
    for (let k = 0; k < chunk.length; k++) {
      pred[0]!.push(v[2 * k] ?? 0);
      pred[1]!.push(v[2 * k + 1] ?? 0);
      truth[0]!.push(ys[2 * k] ?? 0);
      truth[1]!.push(ys[2 * k + 1] ?? 0);
    }
  }
  return {
    windows: refs.length,
    metrics: {
      cccValence: ccc(truth[0]!, pred[0]!),
      cccArousal: ccc(truth[1]!, pred[1]!),
      rmseValence: rmse(truth[0]!, pred[0]!),
      rmseArousal: rmse(truth[1]!, pred[1]!),
    },
  };
}

/** The 'va' Dense head of a trained CNN run's best model (the weights the recurrent model can start from). */
export async function readVaHead(cnnRun: string): Promise<VaHeadWeights> {
  const cnn = await loadModelFrom(bestDir(cnnRun));
  try {
    const [kernel, bias] = cnn.getLayer(VA_OUTPUT).getWeights();
    if (!kernel || !bias || kernel.shape[1] !== 2) throw new Error(`${cnnRun}: the CNN has no valence/arousal head to start from`);
    return { kernel: new Float32Array(kernel.dataSync()), bias: new Float32Array(bias.dataSync()) };
  } finally {
    cnn.dispose();
  }
}

/**
 * One epoch's windows. realShare 0: `perEpoch` windows drawn without replacement from all of them, so the few
 * real sequences (CK+: ~600 windows) are ~1.5% of an epoch beside 39,000 synthetic ones. realShare r > 0:
 * r x perEpoch windows from real sequences (those with a subject; cycled through in fresh random orders when
 * there are fewer) and the rest from synthetic ones, shuffled together.
 */
export function epochWindows(
  all: readonly WindowRef[],
  seqs: readonly FeatureSequence[],
  perEpoch: number,
  realShare: number,
  rng: () => number,
): WindowRef[] {
  if (!(realShare >= 0 && realShare <= 1)) throw new Error(`train:rnn: realShare must be in [0, 1], got ${realShare}`);
  const isReal = (r: WindowRef): boolean => seqs[r.seq]?.subject !== undefined;
  const real = all.filter(isReal);
  const synthetic = all.filter((r) => !isReal(r));
  if (realShare === 0 || real.length === 0 || synthetic.length === 0) return shuffled(all, rng).slice(0, perEpoch);
  const nReal = Math.round(perEpoch * realShare);
  const picked: WindowRef[] = [];
  while (picked.length < nReal) picked.push(...shuffled(real, rng).slice(0, nReal - picked.length));
  picked.push(...shuffled(synthetic, rng).slice(0, perEpoch - nReal));
  return shuffled(picked, rng);
}

export async function trainRnn(
  config: RnnConfig,
  data: RnnTrainData,
  opts: LoopOptions,
): Promise<{ state: LoopState; model: tf.LayersModel }> {
  if (config.target !== 'current' && config.target !== 'next')
    throw new Error(`train:rnn: target must be current or next, got "${String(config.target)}"`);
  const wopts: WindowOptions = { window: config.window, padStart: true, target: config.target };
  const all = windowRefs(data.train, wopts);
  if (all.length === 0) throw new Error('train:rnn: no training window (every sequence has gaps or no labels)');
  const perEpoch = config.windowsPerEpoch > 0 ? Math.min(config.windowsPerEpoch, all.length) : all.length;
  return runTrainingLoop(
    {
      runDir: config.outDir,
      epochs: config.epochs,
      seed: config.seed,
      optim: config.optim,
      config,
      title: `RNN (${config.kind}, window ${config.window})`,
      unit: 'win',
      build: async () => {
        const model = buildRnn({ kind: config.kind, window: config.window, recurrentActivation: config.recurrentActivation });
        if (config.init === 'cnn-head') initFromVaHead(model, config.kind, await readVaHead(config.cnn));
        else if (config.init !== 'random') throw new Error(`train:rnn: unknown init "${String(config.init)}" (random or cnn-head)`);
        return model;
      },
      losses: () => ({ loss: { va: cccLoss }, weights: { va: 1 } }),
      trainSize: () => perEpoch,
      async *trainBatches(epoch: number): AsyncIterable<TrainBatch> {
        const order = epochWindows(all, data.train, perEpoch, config.realShare, createRng(deriveSeed(config.seed, epoch)));
        for (let i = 0; i < order.length; i += config.batchSize) {
          const chunk = order.slice(i, i + config.batchSize);
          const { xs, ys } = gatherWindows(data.train, chunk, wopts);
          yield {
            n: chunk.length,
            xs: tf.tensor3d(xs, [chunk.length, config.window, FEATURE_SIZE]),
            ys: { va: tf.tensor2d(ys, [chunk.length, 2]) },
          };
        }
      },
      validate: async (model) => {
        const e = await evaluateRnn(model, data.val, wopts);
        return { metrics: e.metrics, selection: ((e.metrics.cccValence ?? 0) + (e.metrics.cccArousal ?? 0)) / 2, details: e };
      },
    },
    opts,
  );
}

export interface PerFrameEvaluation {
  frames: number;
  /** Frames whose value came from interpolation (no window: first frame, gaps). */
  interpolated: number;
  metrics: Record<string, number>;
}

/**
 * Per-frame predictions of each sequence: frame t gets the window ending at t - 1 ('next' target) or t
 * ('current'); frames without a window (the first frame, gaps) are filled by linear interpolation, as in the
 * paper. `known` marks the frames that had a window.
 */
export async function rnnPerFrame(
  model: tf.LayersModel,
  seqs: readonly FeatureSequence[],
  opts: WindowOptions,
): Promise<{ values: [Float64Array, Float64Array]; known: Uint8Array }[]> {
  const out: { values: [Float64Array, Float64Array]; known: Uint8Array }[] = [];
  for (const [si, s] of seqs.entries()) {
    const T = s.present.length;
    const refs = windowRefs([s], opts).map((r) => ({ ...r, seq: si }));
    const known = new Uint8Array(T);
    const values = [new Float64Array(T), new Float64Array(T)];
    if (refs.length > 0) {
      const { xs } = gatherWindows(seqs, refs, opts);
      const x = tf.tensor3d(xs, [refs.length, opts.window, FEATURE_SIZE]);
      const y = model.predict(x) as tf.Tensor;
      const v = await y.data();
      tf.dispose([x, y]);
      const shift = opts.target === 'next' ? 1 : 0;
      refs.forEach((r, k) => {
        const t = r.end + shift;
        known[t] = 1;
        values[0]![t] = v[2 * k] ?? 0;
        values[1]![t] = v[2 * k + 1] ?? 0;
      });
    }
    out.push({ values: [interpolateMissing(values[0]!, known), interpolateMissing(values[1]!, known)], known });
  }
  return out;
}

/**
 * Per-frame valence/arousal as a viewer sees it: every frame gets the prediction of the window that ends just
 * before it; frames without one (the first frame, gaps) are filled by linear interpolation, as in the paper.
 * Jitter = mean absolute frame-to-frame change of the prediction.
 */
export async function evaluateRnnPerFrame(
  model: tf.LayersModel,
  seqs: readonly FeatureSequence[],
  opts: WindowOptions,
): Promise<PerFrameEvaluation> {
  const truth: number[][] = [[], []];
  const pred: number[][] = [[], []];
  let interpolated = 0;
  let jitterSum = 0;
  let jitterN = 0;
  const perSeq = await rnnPerFrame(model, seqs, opts);
  for (const [si, s] of seqs.entries()) {
    const T = s.present.length;
    const { values, known } = perSeq[si]!;
    for (const d of [0, 1] as const) {
      const filled = values[d]!;
      for (let t = 0; t < T; t++) {
        truth[d]!.push(s.targets[2 * t + d] ?? 0);
        pred[d]!.push(filled[t] ?? 0);
        if (t > 0) {
          jitterSum += Math.abs((filled[t] ?? 0) - (filled[t - 1] ?? 0));
          jitterN++;
        }
      }
    }
    for (let t = 0; t < T; t++) if (!known[t]) interpolated++;
  }
  return {
    frames: truth[0]!.length,
    interpolated,
    metrics: {
      cccValence: ccc(truth[0]!, pred[0]!),
      cccArousal: ccc(truth[1]!, pred[1]!),
      rmseValence: rmse(truth[0]!, pred[0]!),
      rmseArousal: rmse(truth[1]!, pred[1]!),
      jitter: jitterN > 0 ? jitterSum / jitterN : 0,
    },
  };
}
