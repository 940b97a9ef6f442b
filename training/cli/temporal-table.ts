/**
 * npm run eval:temporal -- --cnn RUN [--config file.json]... [--folds 5] [--epochs 2] [--optim.lr 0.01] [--kinds simple,gru,gru3] ...
 *
 * The paper's Table III analogue on the real CK+ sequences, leave-subjects-out: CNN alone vs CNN + SimpleRNN vs
 * CNN + GRU vs CNN + 3-layer GRU. Sequences are split into subject folds; for each fold every recurrent kind is
 * trained from scratch (fold's other subjects + sequences synthesised from FER+ stills) for a fixed number of
 * epochs, and the model after the last epoch predicts the held-out subjects (no choice is made on them).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { circumplexPoint, EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';
import { argmaxAmong } from '../../src/core/personal-head.ts';
import { preprocessFace, type RawImage } from '../../src/core/preprocess.ts';
import { RNN_DEFAULTS, type BackendRequest, type CnnConfig, type OptimConfig, type RnnConfig } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { loadCkPlus } from '../data/ckplus.ts';
import type { SequenceDataset } from '../data/types.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { kFoldBySubject, type Split } from '../data/splits.ts';
import { attachFaceBoxes } from '../face/box-cache.ts';
import { ccc, rmse } from '../metrics/regression.ts';
import { FEATURES_LAYER, featureExtractor } from '../models/heads.ts';
import { FEATURE_SIZE, interpolateMissing, type FeatureSequence, type WindowOptions } from '../sequences/windows.ts';
import { bestDir, loadModelFrom } from '../loops/checkpoint.ts';
import { formatDuration } from '../util/progress.ts';
import { onsetTargets, syntheticSequenceFeatures } from '../data/rnn-data.ts';
import { jitteredBoxes, meanAbsStep, meanSd, nearestCategory, withSensorNoise, type SteadyNoise } from '../evaluation/temporal-table.ts';
import { rnnPerFrame, trainRnn } from '../loops/train-rnn.ts';
import { createRng, deriveSeed, type Rng } from '../util/rng.ts';
import { readConfigFile, resolveConfig } from './resolve-config.ts';
import { parseArgs, takeFlag } from './args.ts';

/** The table's options: flags (`--optim.lr 0.01`) or --config file keys, merged by the training CLIs' one merge. */
export interface TemporalConfig {
  /** Trained CNN run: its best/ model gives features, valence/arousal and classes (required). */
  cnn: string;
  /** CK+ sequences (official layout). */
  data: string;
  /** FER+ folder for synthetic training sequences. */
  stills: string;
  /** Subject folds. */
  folds: number;
  /** Recurrent kinds trained in every fold. */
  kinds: RnnConfig['kind'][];
  /** Starting weights: 'random' (the paper) and/or 'cnn-head' (two units start as a moving average of the CNN's head). */
  inits: RnnConfig['init'][];
  /** Fixed epochs per fold and kind; the last epoch is evaluated. */
  epochs: number;
  windowsPerEpoch: number;
  /** Synthetic training clips from FER+ stills. */
  syntheticSequences: number;
  batchSize: number;
  /** SGD as train:rnn takes it (the paper's lr 0.01 by default). */
  optim: OptimConfig;
  /** Share of each epoch's windows from the fold's real training sequences (0: in proportion, ~1.5%). */
  realShare: number;
  /** Frames of each steady clip. */
  steadyFrames: number;
  seed: number;
  /** 'current': the window ending at a frame gives that frame's reading, as the app shows it live; 'next': the paper's. */
  target: RnnConfig['target'];
  /** CNN outputs averaged over each face and its mirror image, as the app runs it. */
  mirrorAverage: boolean;
  /** Report folder. */
  out: string;
  backend: BackendRequest;
}

export const TEMPORAL_DEFAULTS: TemporalConfig = {
  cnn: '',
  data: RNN_DEFAULTS.data,
  stills: RNN_DEFAULTS.stills,
  folds: 5,
  kinds: ['simple', 'gru', 'gru3'],
  inits: ['random', 'cnn-head'],
  epochs: 2,
  windowsPerEpoch: 3000,
  syntheticSequences: 300,
  batchSize: 64,
  optim: RNN_DEFAULTS.optim,
  realShare: RNN_DEFAULTS.realShare,
  steadyFrames: 150,
  seed: 1,
  target: 'current',
  mirrorAverage: true,
  out: 'runs/temporal',
  backend: 'auto',
};

const HELP = `Table III analogue (arXiv 2006.11168) on the real CK+ sequences, leave-subjects-out.

Usage: npm run eval:temporal -- --cnn RUN [--config file.json]... [options]

  --cnn RUN                 trained CNN run (its best/ model gives features, valence/arousal and classes)
  --config FILE             JSON file of the options below (repeatable; applied in order, then the flags)
  --data DIR                CK+ sequences (default ${TEMPORAL_DEFAULTS.data})
  --stills DIR              FER+ folder for synthetic training sequences (default ${TEMPORAL_DEFAULTS.stills})
  --folds K                 subject folds (default 5)
  --kinds LIST              recurrent kinds (default simple,gru,gru3)
  --inits LIST              starting weights: random (the paper) and/or cnn-head (two units start as a
                            moving average of the CNN's own valence/arousal head) (default random,cnn-head)
  --epochs N                fixed epochs per fold and kind; the last epoch is evaluated (default 2)
  --windowsPerEpoch N       windows per epoch (default 3000)
  --syntheticSequences N    synthetic training clips from FER+ stills (default 300)
  --batchSize N             (default 64)
  --optim.lr X              SGD learning rate (default 0.01, the paper's; --lr X is the older spelling);
                            --optim.momentum, --optim.decay, --optim.schedule as for train:rnn
  --realShare R             share of each epoch's windows from the fold's real training sequences
                            (default 0: in proportion, ~1.5%)
  --steadyFrames N          frames of each steady clip (default 150)
  --seed N                  (default 1)
  --target T                current: the window ending at a frame gives that frame's reading, as the app
                            shows it live (default); next: the frame after the window (the paper)
  --mirrorAverage B         CNN outputs averaged over each face and its mirror image, as the app runs it
                            (default true)
  --out DIR                 report folder (default runs/temporal)
  --backend B               (default auto)

Targets: linear from the origin (first, neutral frame) to the expression's circumplex point (last, apex
frame). Apex accuracy: the prediction at the last frame, as the nearest circumplex category among CK+'s 7
(for the CNN also its class head's argmax over those 7). Jitter: mean absolute frame-to-frame change of
valence and arousal on a steady clip: each held-out sequence's apex frame repeated with detector-like box
jitter (centre sd 1% of the side, size sd 1%) and sensor noise (sd 2 gray levels).
Writes report.json and report.md to --out.
`;

const CK_CLASSES: readonly Emotion[] = ['anger', 'contempt', 'disgust', 'fear', 'happy', 'sad', 'surprise'];
const STEADY_NOISE: SteadyNoise = { boxShift: 0.01, boxScale: 0.01, pixelSigma: 2 };
const CNN_ALONE = 'CNN alone';

/** Per-frame outputs of the CNN for one real or steady clip. */
interface Clip {
  subject?: string;
  seq: FeatureSequence;
  emotion: Emotion;
  /** T x 2 valence/arousal from the CNN's own head (gaps filled later). */
  cnnVa: Float32Array;
  /** T x 8 class probabilities. */
  cnnProbs: Float32Array;
}

interface Row {
  model: string;
  cccValence: number;
  cccArousal: number;
  rmseValence: number;
  rmseArousal: number;
  apexAccuracyVa: number;
  apexAccuracyClasses?: number;
  jitterSequences: number;
  jitterSteady: number;
  foldCccMean: { mean: number; sd: number };
}

/** A sequence's per-frame valence and arousal. */
type Pred = { values: [Float64Array, Float64Array] };
/** model name -> sequence id -> the prediction of the fold's model that held the sequence out. */
type Pooled = Map<string, Map<string, Pred>>;

interface FoldResults {
  pooled: Pooled;
  steadyPooled: Pooled;
  /** model name -> mean CCC of each fold. */
  foldCcc: Map<string, number[]>;
}

/** The trained CNN with a tap on its features, valence/arousal and classes, and the crop it was trained on. */
interface CnnTap {
  cnn: tf.LayersModel;
  tap: tf.LayersModel;
  size: number;
  spec: ReturnType<typeof runCropSpec>;
}

/** The config from defaults, --config files and flags; undefined when the help text was asked for (or --cnn is missing). */
export async function readTemporalConfig(argv: readonly string[]): Promise<TemporalConfig | undefined> {
  const args = parseArgs(argv);
  const oldLr = takeFlag(args, 'lr');
  if (oldLr !== undefined) args.flags['optim.lr'] ??= oldLr;
  const config = args.help ? undefined : await resolveConfig(TEMPORAL_DEFAULTS, args);
  if (!config?.cnn) {
    process.stdout.write(HELP);
    if (!args.help) process.exitCode = 2;
    return undefined;
  }
  for (const k of config.kinds)
    if (!['simple', 'gru', 'gru3'].includes(k)) throw new Error(`--kinds: unknown kind "${k}" (simple, gru, gru3)`);
  for (const i of config.inits)
    if (!['random', 'cnn-head'].includes(i)) throw new Error(`--inits: unknown start "${i}" (random, cnn-head)`);
  if (config.target !== 'current' && config.target !== 'next')
    throw new Error(`--target must be current or next, got ${String(config.target)}`);
  return config;
}

async function loadCnnTap(cnnRun: string): Promise<CnnTap> {
  const cnnConfig = (await readConfigFile(path.join(bestDir(cnnRun), 'config.json'))) as unknown as CnnConfig;
  const cnn = await loadModelFrom(bestDir(cnnRun));
  const byName = (name: string): tf.SymbolicTensor => cnn.getLayer(name).output as tf.SymbolicTensor;
  const tap = tf.model({ inputs: cnn.inputs, outputs: [byName(FEATURES_LAYER), byName('va'), byName('classes')] });
  return { cnn, tap, size: cnnConfig.inputSize, spec: runCropSpec(cnnConfig, `${cnnRun}: its config.json`) };
}

/** Features, valence/arousal and class probabilities of preprocessed frames, in one pass of the CNN. */
async function runCnn(
  tap: tf.LayersModel,
  frames: readonly Float32Array[],
  size: number,
  mirrorAverage: boolean,
): Promise<{ features: Float32Array; va: Float32Array; probs: Float32Array }> {
  const features = new Float32Array(frames.length * FEATURE_SIZE);
  const va = new Float32Array(frames.length * 2);
  const probs = new Float32Array(frames.length * EMOTIONS.length);
  for (let i = 0; i < frames.length; i += 128) {
    const chunk = frames.slice(i, i + 128);
    const flat = new Float32Array(chunk.length * size * size);
    chunk.forEach((f, k) => flat.set(f, k * size * size));
    const x = tf.tensor4d(flat, [chunk.length, size, size, 1]);
    const [f, v, c] = predictFaces(tap, x, mirrorAverage);
    features.set(await f!.data(), i * FEATURE_SIZE);
    va.set(await v!.data(), i * 2);
    probs.set(await c!.data(), i * EMOTIONS.length);
    tf.dispose([x, f!, v!, c!]);
  }
  return { features, va, probs };
}

/** Spreads per-present-frame rows back to T rows (gaps stay zero and are marked absent in `present`). */
function spread(rows: Float32Array, width: number, index: readonly number[], T: number): Float32Array {
  const out = new Float32Array(T * width);
  index.forEach((t, k) => out.set(rows.subarray(k * width, (k + 1) * width), t * width));
  return out;
}

/** One dimension of a T x 2 series, gaps filled by linear interpolation as on the recurrent path. */
function filledSeries(values: Float32Array, present: Uint8Array, dim: number): Float64Array {
  return interpolateMissing(
    Array.from({ length: present.length }, (_, t) => values[2 * t + dim] ?? 0),
    present,
  );
}

type CkSequence = SequenceDataset['sequences'][number];
type FaceBox = NonNullable<CkSequence['frames'][number]['faceBox']>;

/** A labelled CK+ sequence through the CNN, and its last frame with a face (the apex); undefined without a face. */
async function realClip(
  ck: SequenceDataset,
  s: CkSequence & { emotion: Emotion },
  cnn: CnnTap,
  mirrorAverage: boolean,
): Promise<{ clip: Clip; apex: { image: RawImage; box: FaceBox } } | undefined> {
  const T = s.frames.length;
  const present = new Uint8Array(T);
  const frames: Float32Array[] = [];
  const index: number[] = [];
  let apex: { image: RawImage; box: FaceBox } | undefined;
  for (const [t, f] of s.frames.entries()) {
    if (!f.faceBox) continue;
    const image = await ck.loadImage(f);
    frames.push(preprocessFace(image, cnn.spec, f.faceBox));
    index.push(t);
    present[t] = 1;
    apex = { image, box: f.faceBox };
  }
  if (!apex) return undefined;
  const r = await runCnn(cnn.tap, frames, cnn.size, mirrorAverage);
  const seq: FeatureSequence = {
    id: s.id,
    subject: s.subject,
    emotion: s.emotion,
    features: spread(r.features, FEATURE_SIZE, index, T),
    targets: onsetTargets(s.emotion, T),
    present,
    labelled: new Uint8Array(T).fill(1),
  };
  return {
    clip: {
      subject: s.subject,
      seq,
      emotion: s.emotion,
      cnnVa: spread(r.va, 2, index, T),
      cnnProbs: spread(r.probs, EMOTIONS.length, index, T),
    },
    apex,
  };
}

/** The apex frame held for `frames` frames with detector-like box jitter and sensor noise, through the CNN. */
async function steadyClip(
  s: CkSequence & { emotion: Emotion },
  apex: { image: RawImage; box: FaceBox },
  cnn: CnnTap,
  config: TemporalConfig,
  rng: Rng,
): Promise<Clip> {
  const frames = config.steadyFrames;
  const boxes = jitteredBoxes(apex.box, frames, STEADY_NOISE, rng);
  const pixels = boxes.map((b) => preprocessFace(withSensorNoise(apex.image, STEADY_NOISE.pixelSigma, rng), cnn.spec, b));
  const st = await runCnn(cnn.tap, pixels, cnn.size, config.mirrorAverage);
  const p = circumplexPoint(s.emotion);
  const targets = new Float32Array(frames * 2).map((_, i) => (i % 2 === 0 ? p.valence : p.arousal));
  const seq: FeatureSequence = {
    id: `${s.id}-steady`,
    subject: s.subject,
    emotion: s.emotion,
    features: st.features,
    targets,
    present: new Uint8Array(frames).fill(1),
    labelled: new Uint8Array(frames).fill(1),
  };
  return { subject: s.subject, seq, emotion: s.emotion, cnnVa: st.va, cnnProbs: st.probs };
}

/** Every labelled CK+ sequence with a face, and its steady clip. */
async function ckClips(cnn: CnnTap, config: TemporalConfig): Promise<{ real: Clip[]; steady: Clip[] }> {
  const ck = await loadCkPlus(config.data);
  await attachFaceBoxes(ck);
  const real: Clip[] = [];
  const steady: Clip[] = [];
  const rng = createRng(deriveSeed(config.seed, 31));
  for (const s of ck.sequences) {
    const emotion = s.emotion;
    if (!emotion) continue;
    const r = await realClip(ck, { ...s, emotion }, cnn, config.mirrorAverage);
    if (!r) continue;
    real.push(r.clip);
    steady.push(await steadyClip({ ...s, emotion }, r.apex, cnn, config, rng));
  }
  return { real, steady };
}

/** The mean of valence and arousal CCC over the frames of `clips`. */
function meanCcc(clips: readonly Clip[], preds: readonly Pred[]): number {
  const t: number[][] = [[], []];
  const p: number[][] = [[], []];
  clips.forEach((c, i) => {
    for (let k = 0; k < c.seq.present.length; k++) {
      for (const d of [0, 1] as const) {
        t[d]!.push(c.seq.targets[2 * k + d] ?? 0);
        p[d]!.push(preds[i]!.values[d][k] ?? 0);
      }
    }
  });
  return (ccc(t[0]!, p[0]!) + ccc(t[1]!, p[1]!)) / 2;
}

function put(m: Pooled, model: string, id: string, p: Pred): void {
  if (!m.has(model)) m.set(model, new Map());
  m.get(model)!.set(id, p);
}

function modelName(kind: RnnConfig['kind'], init: RnnConfig['init']): string {
  return `${{ simple: 'CNN + SimpleRNN', gru: 'CNN + GRU', gru3: 'CNN + GRU x3' }[kind]}${init === 'cnn-head' ? ', CNN-head start' : ''}`;
}

/** train:rnn's config for one fold, kind and start. */
function foldRnnConfig(
  config: TemporalConfig,
  kind: RnnConfig['kind'],
  init: RnnConfig['init'],
  fold: number,
  testSubjects: string[],
): RnnConfig {
  const { cnn, data, stills, syntheticSequences, windowsPerEpoch, epochs, batchSize, optim, realShare, seed, mirrorAverage, target } =
    config;
  const outDir = path.join(config.out, `fold-${String(fold + 1).padStart(2, '0')}-${kind}${init === 'cnn-head' ? '-head' : ''}`);
  return {
    ...RNN_DEFAULTS,
    kind,
    init,
    mirrorAverage,
    target,
    cnn,
    data,
    stills,
    syntheticSequences,
    windowsPerEpoch,
    epochs,
    batchSize,
    optim: { ...RNN_DEFAULTS.optim, ...optim },
    realShare,
    seed,
    valSubjects: testSubjects,
    outDir,
  };
}

/** Every recurrent kind and start trained on the fold's other subjects, predicting its held-out real and steady clips. */
async function runFold(
  fi: number,
  fold: Split<Clip>,
  steady: readonly Clip[],
  synthetic: readonly FeatureSequence[],
  config: TemporalConfig,
  results: FoldResults,
  folds: number,
): Promise<void> {
  const { pooled, steadyPooled, foldCcc } = results;
  const testIds = new Set(fold.test.map((c) => c.seq.id));
  const testSubjects = [...new Set(fold.test.map((c) => c.seq.subject ?? ''))].sort();
  const steadyTest = steady.filter((c) => testIds.has(c.seq.id.replace(/-steady$/, '')));
  const cnnPred = (c: Clip): Pred => ({ values: [filledSeries(c.cnnVa, c.seq.present, 0), filledSeries(c.cnnVa, c.seq.present, 1)] });
  const cnnPreds = fold.test.map(cnnPred);
  fold.test.forEach((c, i) => put(pooled, CNN_ALONE, c.seq.id, cnnPreds[i]!));
  steadyTest.forEach((c) => put(steadyPooled, CNN_ALONE, c.seq.id, cnnPred(c)));
  foldCcc.set(CNN_ALONE, [...(foldCcc.get(CNN_ALONE) ?? []), meanCcc(fold.test, cnnPreds)]);
  const wopts: WindowOptions = { window: RNN_DEFAULTS.window, padStart: true, target: config.target };
  for (const init of config.inits)
    for (const kind of config.kinds) {
      const name = modelName(kind, init);
      const started = performance.now();
      const rnnConfig = foldRnnConfig(config, kind, init, fi, testSubjects);
      const { model } = await trainRnn(
        rnnConfig,
        { train: [...fold.train.map((c) => c.seq), ...synthetic], val: fold.test.map((c) => c.seq) },
        { resume: false, quiet: true },
      );
      const preds = await rnnPerFrame(
        model,
        fold.test.map((c) => c.seq),
        wopts,
      );
      fold.test.forEach((c, i) => put(pooled, name, c.seq.id, preds[i]!));
      const sp = await rnnPerFrame(
        model,
        steadyTest.map((c) => c.seq),
        wopts,
      );
      steadyTest.forEach((c, i) => put(steadyPooled, name, c.seq.id, sp[i]!));
      foldCcc.set(name, [...(foldCcc.get(name) ?? []), meanCcc(fold.test, preds)]);
      model.dispose();
      process.stdout.write(
        `fold ${fi + 1}/${folds} (${testSubjects.join(', ')}): ${name} trained in ${formatDuration((performance.now() - started) / 1000)}\n`,
      );
    }
}

/** One model's row, from the pooled predictions of the folds that held each sequence out. */
function tableRow(name: string, preds: Map<string, Pred>, real: readonly Clip[], steady: readonly Clip[], results: FoldResults): Row {
  const t: number[][] = [[], []];
  const p: number[][] = [[], []];
  let apexVa = 0;
  let apexCls = 0;
  let jitterSeq = 0;
  for (const c of real) {
    const pr = preds.get(c.seq.id);
    if (!pr) throw new Error(`no prediction for ${c.seq.id}`);
    const T = c.seq.present.length;
    for (let k = 0; k < T; k++) {
      for (const d of [0, 1] as const) {
        t[d]!.push(c.seq.targets[2 * k + d] ?? 0);
        p[d]!.push(pr.values[d][k] ?? 0);
      }
    }
    if (nearestCategory(pr.values[0][T - 1] ?? 0, pr.values[1][T - 1] ?? 0, CK_CLASSES) === c.emotion) apexVa++;
    let last = T - 1;
    while (last > 0 && !c.seq.present[last]) last--;
    if (argmaxAmong(c.cnnProbs.subarray(last * EMOTIONS.length, (last + 1) * EMOTIONS.length), CK_CLASSES) === c.emotion) apexCls++;
    jitterSeq += (meanAbsStep(pr.values[0]) + meanAbsStep(pr.values[1])) / 2;
  }
  const sp = results.steadyPooled.get(name)!;
  let jitterSteady = 0;
  for (const c of steady) {
    const pr = sp.get(c.seq.id)!;
    jitterSteady += (meanAbsStep(pr.values[0]) + meanAbsStep(pr.values[1])) / 2;
  }
  return {
    model: name,
    cccValence: ccc(t[0]!, p[0]!),
    cccArousal: ccc(t[1]!, p[1]!),
    rmseValence: rmse(t[0]!, p[0]!),
    rmseArousal: rmse(t[1]!, p[1]!),
    apexAccuracyVa: apexVa / real.length,
    ...(name === CNN_ALONE ? { apexAccuracyClasses: apexCls / real.length } : {}),
    jitterSequences: jitterSeq / real.length,
    jitterSteady: jitterSteady / steady.length,
    foldCccMean: meanSd(results.foldCcc.get(name) ?? []),
  };
}

function renderMarkdown(rows: readonly Row[]): string {
  const f3 = (x: number): string => x.toFixed(3);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const cnnRow = rows[0]!;
  return [
    `| model | CCC valence | CCC arousal | RMSE valence | RMSE arousal | CCC mean per fold (mean ± sd) | apex accuracy | jitter, steady clip | jitter vs CNN alone |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map(
      (r) =>
        `| ${r.model} | ${f3(r.cccValence)} | ${f3(r.cccArousal)} | ${f3(r.rmseValence)} | ${f3(r.rmseArousal)} | ${f3(r.foldCccMean.mean)} ± ${f3(r.foldCccMean.sd)} | ` +
        `${pct(r.apexAccuracyVa)}${r.apexAccuracyClasses !== undefined ? ` (class head ${pct(r.apexAccuracyClasses)})` : ''} | ${r.jitterSteady.toFixed(4)} | ${r === cnnRow ? '1.00' : (r.jitterSteady / cnnRow.jitterSteady).toFixed(2)} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const config = await readTemporalConfig(process.argv.slice(2));
  if (!config) return;
  const { inits, mirrorAverage, target, realShare, epochs, windowsPerEpoch, syntheticSequences, batchSize, seed, out } = config;
  const backend = await selectBackend(config.backend, { log: () => undefined });
  const t0 = performance.now();
  const cnn = await loadCnnTap(config.cnn);
  const { real, steady } = await ckClips(cnn, config);
  const subjects = [...new Set(real.map((c) => c.seq.subject ?? ''))].sort();
  const frames = real.reduce((n, c) => n + c.seq.present.length, 0);
  process.stdout.write(
    `CK+: ${real.length} labelled sequences, ${frames} frames, ${subjects.length} subjects; CNN ${config.cnn} (${backend.name})\n`,
  );

  const extractor = featureExtractor(cnn.cnn);
  const fer = await loadFerPlus(config.stills, { split: 'train' });
  const synthetic =
    syntheticSequences > 0
      ? await syntheticSequenceFeatures(
          fer.samples,
          (x) => fer.loadImage(x),
          { model: extractor, mirrorAverage },
          cnn.size,
          syntheticSequences,
          RNN_DEFAULTS.syntheticLength,
          seed,
          true,
        )
      : [];
  process.stdout.write(
    `synthetic training clips: ${synthetic.length} x ${RNN_DEFAULTS.syntheticLength} frames (${formatDuration((performance.now() - t0) / 1000)})\n`,
  );

  const split = kFoldBySubject(real, config.folds, seed);
  const results: FoldResults = { pooled: new Map(), steadyPooled: new Map(), foldCcc: new Map() };
  for (const [fi, fold] of split.entries()) await runFold(fi, fold, steady, synthetic, config, results, split.length);
  const rows = [...results.pooled].map(([name, preds]) => tableRow(name, preds, real, steady, results));

  const md = renderMarkdown(rows);
  const report = {
    cnn: config.cnn,
    backend: backend.name,
    sequences: real.length,
    frames,
    subjects,
    folds: split.map((f) => [...new Set(f.test.map((c) => c.seq.subject ?? ''))].sort()),
    training: {
      inits,
      mirrorAverage,
      target,
      lr: config.optim.lr,
      realShare,
      epochs,
      windowsPerEpoch,
      syntheticSequences,
      batchSize,
      seed,
      window: RNN_DEFAULTS.window,
      selection: 'none: the model after the last epoch',
    },
    steadyClip: { frames: config.steadyFrames, ...STEADY_NOISE },
    rows,
    seconds: (performance.now() - t0) / 1000,
  };
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'report.json'), JSON.stringify(report, null, 2));
  await writeFile(path.join(out, 'report.md'), `${md}\n`);
  process.stdout.write(
    `\n${md}\n\n${real.length} sequences of ${subjects.length} subjects in ${split.length} subject folds; ${formatDuration(report.seconds)} -> ${out}\n`,
  );
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval:temporal: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
