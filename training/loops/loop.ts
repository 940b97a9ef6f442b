/**
 * The epoch loop shared by both stages: SGD + momentum with Keras time-based decay (or cosine), a checkpoint every
 * epoch, `resume` from the last completed epoch, the best epoch kept by a validation metric, per-epoch
 * metrics to metrics.jsonl and curves.svg. What a batch is and how validation is scored is the caller's.
 */
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { checkOptim, learningRateAt, type OptimConfig } from '../config/config.ts';
import { INITIAL_STATE, hasCheckpoint, loadCheckpoint, saveBest, saveCheckpoint, type EpochRecord, type LoopState } from './checkpoint.ts';
import { createProgress } from '../util/progress.ts';
import { renderCurvesSvg } from './curves.ts';
import { seedMathRandom } from '../util/seeded-random.ts';

export interface TrainBatch {
  n: number;
  /** Inputs; disposed by the loop. */
  xs: tf.Tensor;
  /** Targets by output name; disposed by the loop. */
  ys: Record<string, tf.Tensor>;
}

export interface Validation {
  metrics: Record<string, number>;
  /** Higher is better; picks the best epoch. */
  selection: number;
  /** Written to best-evaluation.json when the epoch is the best. */
  details?: unknown;
}

export interface LoopSpec {
  runDir: string;
  epochs: number;
  seed: number;
  optim: OptimConfig;
  /** Saved with every checkpoint. */
  config: object;
  title: string;
  build(): tf.LayersModel | Promise<tf.LayersModel>;
  /** Loss per output name (the model's output layer names). */
  losses(model: tf.LayersModel): { loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar>; weights: Record<string, number> };
  trainSize(): number;
  trainBatches(epoch: number): AsyncIterable<TrainBatch>;
  validate(model: tf.LayersModel): Promise<Validation>;
  /**
   * Keep the model after the last epoch as best/ (validation is still recorded every epoch): for a schedule that
   * anneals to 0, where the settled model is the one meant, as cross-validation scores it.
   */
  keepLast?: boolean;
  unit?: string;
}

export interface LoopOptions {
  resume: boolean;
  quiet?: boolean;
  /** Stop after this many epochs in this invocation (tests simulate a killed run with it). */
  stopAfterEpochs?: number;
}

export interface LoopResult {
  state: LoopState;
  model: tf.LayersModel;
}

type LossFn = (a: tf.Tensor, b: tf.Tensor) => tf.Scalar;

/** Compiles a model with the spec's losses, each scaled by its weight, and the one optimizer. */
function compileWith(spec: LoopSpec, optimizer: tf.Optimizer): (m: tf.LayersModel) => void {
  return (m) => {
    const { loss, weights } = spec.losses(m);
    // tfjs-layers' compile() has no lossWeights: each weight scales its own loss function instead.
    const weighted: Record<string, LossFn> = {};
    for (const [name, fn] of Object.entries(loss)) {
      const w = weights[name] ?? 1;
      weighted[name] = w === 1 ? fn : (a, b) => tf.tidy(() => tf.mul(fn(a, b), w) as tf.Scalar);
    }
    m.compile({ optimizer, loss: weighted });
  };
}

/** The model and state after the last completed epoch on resume, else a fresh (seeded) model. */
async function startOrResume(spec: LoopSpec, opts: LoopOptions, optimizer: tf.Optimizer, log: (s: string) => void): Promise<LoopResult> {
  const { runDir } = spec;
  const compile = compileWith(spec, optimizer);
  if (opts.resume && (await hasCheckpoint(runDir))) {
    const ck = await loadCheckpoint(runDir);
    compile(ck.model);
    await optimizer.setWeights(ck.optimizerWeights);
    const state = ck.state;
    log(
      `resumed ${runDir} after epoch ${state.epoch} (step ${state.step}, best ${state.bestMetric.toFixed(4)} at epoch ${state.bestEpoch})`,
    );
    return { model: ck.model, state };
  }
  await rm(path.join(runDir, 'metrics.jsonl'), { force: true });
  seedMathRandom(spec.seed, -1);
  const model = await spec.build();
  compile(model);
  return { model, state: structuredClone(INITIAL_STATE) };
}

/** One pass over the epoch's batches; advances `state.step`. Returns the mean loss and the last learning rate. */
async function trainEpoch(
  spec: LoopSpec,
  { model, state }: LoopResult,
  optimizer: tf.Optimizer,
  epoch: number,
  quiet: boolean,
): Promise<{ trainLoss: number; lr: number }> {
  const bar = quiet ? undefined : createProgress(`epoch ${epoch}/${spec.epochs}`, spec.trainSize(), spec.unit);
  let seen = 0;
  let lossSum = 0;
  let batches = 0;
  const perEpoch = Math.max(1, spec.trainSize());
  const progress = (): number => (epoch - 1 + Math.min(1, seen / perEpoch)) / spec.epochs;
  let lr = learningRateAt(spec.optim, state.step, progress());
  for await (const batch of spec.trainBatches(epoch)) {
    lr = learningRateAt(spec.optim, state.step, progress());
    (optimizer as tf.SGDOptimizer).setLearningRate(lr);
    const ys = model.outputNames.map((name) => {
      const y = batch.ys[name];
      if (!y) throw new Error(`no target for model output "${name}"`);
      return y;
    });
    let out: number | number[];
    try {
      out = await model.trainOnBatch(batch.xs, ys.length === 1 ? ys[0]! : ys);
    } finally {
      tf.dispose([batch.xs, ...Object.values(batch.ys)]);
    }
    const lossValue = Array.isArray(out) ? (out[0] ?? NaN) : out;
    if (!Number.isFinite(lossValue)) throw new Error(`epoch ${epoch}: loss became ${lossValue} at step ${state.step}; lower --optim.lr`);
    lossSum += lossValue;
    batches++;
    state.step++;
    seen += batch.n;
    bar?.tick(seen, `loss ${(lossSum / batches).toFixed(4)} lr ${lr.toExponential(2)}`);
  }
  bar?.end(`loss ${(lossSum / Math.max(1, batches)).toFixed(4)}`);
  return { trainLoss: lossSum / Math.max(1, batches), lr };
}

/** Records a finished epoch: the best model when validation improved, the checkpoint, metrics.jsonl and curves.svg. */
async function recordEpoch(
  spec: LoopSpec,
  { model, state }: LoopResult,
  optimizer: tf.Optimizer,
  record: EpochRecord,
  v: Validation,
): Promise<boolean> {
  const { runDir } = spec;
  state.history.push(record);
  state.epoch = record.epoch;
  const improved = spec.keepLast === true || v.selection > state.bestMetric;
  if (improved) {
    state.bestMetric = v.selection;
    state.bestEpoch = record.epoch;
    await saveBest(runDir, model, state, spec.config);
    await writeFile(path.join(runDir, 'best-evaluation.json'), JSON.stringify(v.details ?? v.metrics, null, 2));
  }
  await saveCheckpoint(runDir, model, optimizer, state, spec.config);
  await appendFile(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify(record)}\n`);
  await writeFile(path.join(runDir, 'curves.svg'), renderCurvesSvg(state.history, spec.title));
  return improved;
}

export async function runTrainingLoop(spec: LoopSpec, opts: LoopOptions): Promise<LoopResult> {
  await mkdir(spec.runDir, { recursive: true });
  const log = (s: string): void => {
    if (!opts.quiet) process.stdout.write(`${s}\n`);
  };
  checkOptim(spec.optim);
  const optimizer = tf.train.momentum(spec.optim.lr, spec.optim.momentum);
  const run = await startOrResume(spec, opts, optimizer, log);
  const { state } = run;
  let ran = 0;
  while (state.epoch < spec.epochs) {
    if (opts.stopAfterEpochs !== undefined && ran >= opts.stopAfterEpochs) break;
    const epoch = state.epoch + 1;
    seedMathRandom(spec.seed, epoch);
    const started = performance.now();
    const { trainLoss, lr } = await trainEpoch(spec, run, optimizer, epoch, opts.quiet ?? false);
    const v = await spec.validate(run.model);
    const record: EpochRecord = { epoch, step: state.step, lr, trainLoss, seconds: (performance.now() - started) / 1000, val: v.metrics };
    const improved = await recordEpoch(spec, run, optimizer, record, v);
    const val = Object.entries(record.val)
      .map(([k, x]) => `${k} ${x.toFixed(4)}`)
      .join(' ');
    log(`epoch ${epoch}: loss ${record.trainLoss.toFixed(4)} ${val}${improved ? ' (best)' : ''} ${record.seconds.toFixed(0)}s`);
    ran++;
  }
  // The momentum slots are variables the model does not own: free them with the optimizer.
  optimizer.dispose();
  return run;
}
