/**
 * Training configuration: one block of documented defaults per stage, override files (JSON), and
 * command-line overrides (`--key value` / `--a.b value`), merged by one function. The resolved config is
 * saved with every checkpoint. Defaults follow the paper (arXiv 2006.11168): SGD, lr 0.01, momentum 0.9,
 * Keras time-based decay 1e-5 per step, batch 128 (CNN) / 256 (RNN), keep the best epoch on validation.
 */

import { FACE_CROP_LEVEL_DEADBAND, FACE_CROP_LEVEL_EYES, FACE_CROP_MARGIN, FACE_CROP_SHIFT_Y } from './default-crop.ts';
import type { ClassWeighting } from '../balance/class-weights.ts';

export type BackendRequest = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'wasm' | 'cpu';
export type BalanceMode = 'none' | 'max' | 'mean' | 'average';

export interface OptimConfig {
  /** Initial learning rate (paper: 0.01). */
  lr: number;
  /** SGD momentum (paper: 0.9). */
  momentum: number;
  /** Keras time-based decay: lr_t = lr / (1 + decay * step) (paper: 1e-5). */
  decay: number;
  /**
   * 'time': the paper's Keras time-based decay above, for the whole run. 'cosine': the time-based rate times
   * (1 + cos(pi * progress)) / 2, progress being the share of the run's epochs done, so it falls to 0 by the
   * last step: the model after the last epoch is a settled one (what cross-validation scores).
   */
  schedule: LrSchedule;
}

export const LR_SCHEDULES = ['time', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The paper's optimiser for both stages: SGD, lr 0.01, momentum 0.9, Keras time-based decay 1e-5. */
export const PAPER_SGD: Readonly<OptimConfig> = { lr: 0.01, momentum: 0.9, decay: 1e-5, schedule: 'time' };

export interface CnnConfig {
  /** 'efficient': the live model (48x48 by default); 'paper': the paper's CNN (96x96 by default). */
  model: 'efficient' | 'paper';
  /** Square input side in pixels. */
  inputSize: number;
  /** Heads to train: 'classes' (8 canonical emotions), 'va' (valence/arousal), or both (multi-task). */
  heads: 'classes' | 'va' | 'both';
  /** Class target: one-hot majority vote, or the FER+ vote distribution (soft targets). */
  classTarget: 'majority' | 'votes';
  /**
   * FER+ training images only, with classTarget 'votes': the share of each image's class target given to its
   * original FER2013 label (one-hot; fer2013-original-labels.csv beside data/) instead of the FER+ vote
   * distribution; 0 = votes only. The original label is the emotion the image was collected under, the kind of
   * label posed datasets such as CK+ carry; the votes are what ten annotators saw. Validation stays FER+.
   */
  originalLabelShare: number;
  /** Per-class weights of the class loss against FER+'s imbalance (training/balance/class-weights.ts). */
  classWeighting: ClassWeighting;
  /** Weight of each head's loss in the multi-task sum. */
  lossWeights: { classes: number; va: number };
  /** Valence/arousal loss: the paper's 1 - mean CCC, or MSE. */
  vaLoss: 'ccc' | 'mse';
  /** Dataset folder (FER+ layout by default). */
  data: string;
  /** Dataset layout. */
  dataset: 'ferplus' | 'image-folder' | 'fer2013-csv' | 'affwild2' | 'afew-va';
  /**
   * A second labelled dataset joined to the training images ('' = none), e.g. CK+48's posed faces beside FER+:
   * each epoch then draws `epochSize` images, `mixShare` of them from this one (training/data/epoch-mix.ts).
   * Validation stays on `data`'s validation split. Cross-validation (cv:ckplus) folds this dataset by subject
   * and keeps each fold's test subjects out of the mix.
   */
  mixData: string;
  /** Layout of mixData (detected when ''). */
  mixDataset: string;
  /**
   * Subjects of mixData left out of training, e.g. the CK+ subjects the temporal model is chosen and scored on,
   * so that their faces stay unseen by the CNN whose features it reads.
   */
  mixExcludeSubjects: string[];
  /** Share of each epoch's images drawn from mixData, in [0, 1]. */
  mixShare: number;
  /** Training images per epoch when mixData is set (0 = as many as the primary training split holds). */
  epochSize: number;
  /** Face crop margin used when the dataset gives face boxes (whole image otherwise). */
  cropMargin: number;
  /** Vertical crop offset used with face boxes (CropSpec.shiftY). */
  cropShiftY: number;
  /**
   * Turn crops of detected faces by the face's roll so the eyes are level (CropSpec.levelEyes): the model's
   * evaluation on whole frames, the temporal model's features and the app crop so. Runs from before the field read
   * as false.
   */
  cropLevelEyes: boolean;
  /** With cropLevelEyes: rolls up to this many degrees leave the crop upright (CropSpec.levelDeadband). */
  cropLevelDeadband: number;
  /** Paper augmentation (rotation, shift, shear, zoom, flip, brightness), fresh per image. */
  augment: boolean;
  /** Valence/arousal histogram balancing of the training set (paper: 'average'); 'none' for class data. */
  balance: BalanceMode;
  epochs: number;
  /**
   * Which epoch's model best/ holds (and export ships): 'best' by the validation selection metric, or 'last', the
   * settled model after a cosine schedule (what cv:ckplus scores in every fold).
   */
  keep: 'best' | 'last';
  batchSize: number;
  optim: OptimConfig;
  /** Seed for data order, augmentation, dropout and initialisation. */
  seed: number;
  /** Fine-tune: start from the best weights of this CNN run folder (same architecture) instead of random ones. */
  initFrom: string;
  backend: BackendRequest;
  /** Where checkpoints, metrics.jsonl and plots go. */
  outDir: string;
  /** Cap on training images per epoch (0 = all): for smoke runs and quick experiments. */
  limitTrain: number;
  /** Cap on validation images (0 = all). */
  limitVal: number;
}

export const CNN_DEFAULTS: CnnConfig = {
  model: 'efficient',
  inputSize: 48,
  heads: 'both',
  classTarget: 'votes',
  originalLabelShare: 0,
  classWeighting: 'none',
  lossWeights: { classes: 1, va: 1 },
  vaLoss: 'ccc',
  data: '../shared/datasets/ferplus',
  dataset: 'ferplus',
  mixData: '',
  mixDataset: '',
  mixExcludeSubjects: [],
  mixShare: 0.25,
  epochSize: 0,
  cropMargin: FACE_CROP_MARGIN,
  cropShiftY: FACE_CROP_SHIFT_Y,
  cropLevelEyes: FACE_CROP_LEVEL_EYES,
  cropLevelDeadband: FACE_CROP_LEVEL_DEADBAND,
  augment: true,
  balance: 'none',
  epochs: 30,
  keep: 'best',
  batchSize: 128,
  optim: PAPER_SGD,
  seed: 1,
  initFrom: '',
  backend: 'auto',
  outDir: 'runs/cnn',
  limitTrain: 0,
  limitVal: 0,
};

export interface RnnConfig {
  /** 'simple': SimpleRNN(100); 'gru': GRU(100); 'gru3': GRU(100)-GRU(100)-GRU(50). */
  kind: 'simple' | 'gru' | 'gru3';
  /** Frames per window (paper: 100). */
  window: number;
  /** Trained CNN run folder (its best checkpoint extracts the 300-d features). */
  cnn: string;
  /** CK+ sequences folder (official layout). */
  data: string;
  /** FER+ folder used to synthesise training sequences from stills (see training/sequences). */
  stills: string;
  /** Sequences synthesised from stills (0 = real sequences only); their features are computed once per run. */
  syntheticSequences: number;
  /** Frames per synthetic sequence. */
  syntheticLength: number;
  /** Windows drawn (seeded, without replacement) from all training windows each epoch (0 = all). */
  windowsPerEpoch: number;
  /**
   * Share of each epoch's windows taken from real sequences (0: in proportion to their number, ~1.5% with 600
   * synthetic clips); the rest come from synthetic clips (training/loops/train-rnn.ts, epochWindows).
   */
  realShare: number;
  /** Recurrent layers' gate activation; must match the app's streaming GRU (src/core/recurrent.ts). */
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  /**
   * Starting weights: 'random' (the paper), or 'cnn-head': two units start as a moving average of the CNN's
   * own valence/arousal head and the output reads them (training/models/rnn.ts, initFromVaHead).
   */
  init: 'random' | 'cnn-head';
  /**
   * Which frame a window's output is for: 'current', its own last frame, as the app shows the reading live,
   * or 'next', the frame after the window (the paper's formulation, one frame ahead).
   */
  target: 'current' | 'next';
  /** Features averaged over each face and its mirror image, as the app computes them (export --mirrorAverage). */
  mirrorAverage: boolean;
  /** Subjects held out for validation (leave-subjects-out), by id; empty = 30% of subjects by seed. */
  valSubjects: string[];
  epochs: number;
  batchSize: number;
  optim: OptimConfig;
  seed: number;
  backend: BackendRequest;
  outDir: string;
}

export const RNN_DEFAULTS: RnnConfig = {
  kind: 'gru',
  window: 100,
  cnn: 'runs/cnn',
  data: '../shared/datasets/ckplus-sequences',
  stills: '../shared/datasets/ferplus',
  syntheticSequences: 600,
  syntheticLength: 130,
  windowsPerEpoch: 16000,
  recurrentActivation: 'sigmoid',
  init: 'random',
  realShare: 0,
  mirrorAverage: true,
  target: 'current',
  valSubjects: [],
  epochs: 30,
  batchSize: 256,
  optim: PAPER_SGD,
  seed: 1,
  backend: 'auto',
  outDir: 'runs/rnn',
};

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Coerces a command-line string to the type of the default it overrides. */
function coerce(key: string, raw: string, like: unknown): unknown {
  if (typeof like === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`--${key} expects a number, got "${raw}"`);
    return n;
  }
  if (typeof like === 'boolean') {
    if (raw === 'true' || raw === '1' || raw === '') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`--${key} expects true or false, got "${raw}"`);
  }
  if (Array.isArray(like)) return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  return raw;
}

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * The one merge function: defaults <- override file objects (in order) <- `--a.b=value` flags.
 * Unknown keys are errors (a typo must not silently train the wrong thing).
 */
export function mergeConfig<T extends object>(defaults: T, files: readonly Plain[], flags: Readonly<Record<string, string>>): T {
  const out = structuredClone(defaults) as unknown as Plain;
  const apply = (target: Plain, source: Plain, prefix: string): void => {
    for (const [k, v] of Object.entries(source)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (!(k in target)) throw new ConfigError(`unknown config key "${key}"`);
      const cur = target[k];
      if (isPlain(cur)) {
        if (!isPlain(v)) throw new ConfigError(`config key "${key}" must be an object`);
        apply(cur, v, key);
      } else {
        if (typeof cur !== typeof v || Array.isArray(cur) !== Array.isArray(v)) {
          throw new ConfigError(
            `config key "${key}" must be ${Array.isArray(cur) ? 'an array' : `a ${typeof cur}`}, got ${JSON.stringify(v)}`,
          );
        }
        target[k] = v;
      }
    }
  };
  for (const f of files) apply(out, f, '');
  for (const [flag, raw] of Object.entries(flags)) {
    const parts = flag.split('.');
    let target: Plain = out;
    for (const p of parts.slice(0, -1)) {
      const next = target[p];
      if (!isPlain(next)) throw new ConfigError(`unknown option --${flag}`);
      target = next;
    }
    const last = parts[parts.length - 1] ?? '';
    if (!(last in target) || isPlain(target[last])) throw new ConfigError(`unknown option --${flag}`);
    target[last] = coerce(flag, raw, target[last]);
  }
  return out as unknown as T;
}

/** Throws a ConfigError for an optimiser setting no schedule can use. */
export function checkOptim(optim: OptimConfig): void {
  if (!LR_SCHEDULES.includes(optim.schedule))
    throw new ConfigError(`--optim.schedule must be one of ${LR_SCHEDULES.join(', ')}, got "${optim.schedule}"`);
  if (!(optim.lr > 0)) throw new ConfigError(`--optim.lr must be > 0, got ${optim.lr}`);
}

/**
 * The learning rate of one step. Pure: step is the optimizer's iteration count (Keras' time-based decay, as the
 * paper's SGD used it); progress in [0, 1] is the share of the run's epochs done before this step (cosine only).
 */
export function learningRateAt(optim: OptimConfig, step: number, progress = 0): number {
  const timeBased = optim.lr / (1 + optim.decay * step);
  if (optim.schedule !== 'cosine') return timeBased;
  const p = Math.min(1, Math.max(0, progress));
  return (timeBased * (1 + Math.cos(Math.PI * p))) / 2;
}
