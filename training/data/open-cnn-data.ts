/** Turns a CNN config into streamed train/validation batches (split choice, balancing, augmentation). */
import { EMOTIONS, emotionIndex } from '../../src/core/emotions.ts';
import { UNIT_NORMALISATION } from '../../src/core/preprocess.ts';
import { augment, PAPER_AUGMENT, type AugmentOptions } from '../augment/augment.ts';
import { balanceByHistogram } from '../balance/histogram.ts';
import { ConfigError, type CnnConfig } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { batches, type Batch } from './batches.ts';
import { loadFerPlus } from './ferplus.ts';
import { LAYOUTS, openDatasets, type Layout } from './open.ts';
import { holdOut, holdOutBySubject } from './splits.ts';
import type { Dataset, Sample } from './types.ts';
import { createRng, deriveSeed, shuffled } from '../util/rng.ts';
import type { CnnBatch, CnnData } from './cnn-data.ts';
import { DatasetError } from './errors.ts';
import { drawEpoch, epochClassMass, epochCounts, labelCounts, type EpochMix } from './epoch-mix.ts';

export interface OpenedCnnData extends CnnData {
  describe(): string;
}

function subset(ds: Dataset, samples: Sample[], name: string): Dataset {
  return { ...ds, name, samples };
}

/** The augmentation, on pixels already normalised to 0..1 (brightness clips to the normalised range). */
export const NORMALISED_AUGMENT: AugmentOptions = {
  ...PAPER_AUGMENT,
  valueRange: [UNIT_NORMALISATION.offset, 255 * UNIT_NORMALISATION.scale + UNIT_NORMALISATION.offset],
};

/** The class target of one image: one-hot majority, or its votes with `originalShare` moved onto its hard label. */
function toCnnBatch(b: Batch, classTarget: CnnConfig['classTarget'], originalShare = 0): CnnBatch {
  let probs = b.probs;
  const k = EMOTIONS.length;
  if (classTarget === 'majority') {
    probs = new Float32Array(b.n * EMOTIONS.length);
    b.labels.forEach((l, i) => {
      if (l >= 0) probs[i * EMOTIONS.length + l] = 1;
    });
  } else {
    // Samples with a hard label but no vote distribution (e.g. CK+48) train on the one-hot label.
    b.labels.forEach((l, i) => {
      if (l < 0) return;
      if (!b.hasProbs[i]) probs[i * k + l] = 1;
      else if (originalShare > 0) {
        for (let c = 0; c < k; c++) probs[i * k + c] = probs[i * k + c]! * (1 - originalShare);
        probs[i * k + l] = probs[i * k + l]! + originalShare;
      }
    });
  }
  return { n: b.n, pixels: b.pixels, probs, va: b.va, labels: b.labels };
}

/** Summed class targets as toCnnBatch builds them (vote distribution, or one-hot label). */
function classMassOf(samples: readonly Sample[], classTarget: CnnConfig['classTarget'], originalShare: number): number[] {
  const mass = EMOTIONS.map(() => 0);
  for (const s of samples) {
    if (classTarget === 'votes' && s.probs) {
      const share = s.label ? originalShare : 0;
      s.probs.forEach((p, c) => (mass[c]! += p * (1 - share)));
      if (s.label) mass[emotionIndex(s.label)]! += share;
    } else if (s.label) mass[emotionIndex(s.label)]! += 1;
  }
  return mass;
}

/**
 * The FER+ training split with each image's label replaced by its original FER2013 label (undefined where none
 * was recovered), the images themselves unchanged: the blend of originalLabelShare.
 */
async function withOriginalLabels(train: Dataset, data: string): Promise<Dataset> {
  const original = await loadFerPlus(data, { split: 'train', originalLabels: true, keepUnlabelled: true });
  const byId = new Map(original.samples.map((s) => [s.id, s.label]));
  return { ...train, name: `${train.name}+original-labels`, samples: train.samples.map((s) => ({ ...s, label: byId.get(s.id) })) };
}

function checkOriginalShare(config: CnnConfig): void {
  const share = config.originalLabelShare;
  if (!(share >= 0 && share <= 1)) throw new ConfigError(`--originalLabelShare must be in [0, 1], got ${share}`);
  if (share > 0 && (config.dataset !== 'ferplus' || config.classTarget !== 'votes')) {
    throw new ConfigError(
      `--originalLabelShare applies to --dataset ferplus with --classTarget votes (got ${config.dataset}, ${config.classTarget})`,
    );
  }
}

/** The training and validation splits of config.data (FER+: its own; one-split folders: 10% of subjects held out). */
export async function splitFor(config: CnnConfig): Promise<{ train: Dataset; val: Dataset }> {
  if (config.dataset === 'ferplus') {
    const [train, val] = await Promise.all([loadFerPlus(config.data, { split: 'train' }), loadFerPlus(config.data, { split: 'valid' })]);
    return { train: config.originalLabelShare > 0 ? await withOriginalLabels(train, config.data) : train, val };
  }
  const sets = await openDatasets(config.data, config.dataset as Layout);
  if (sets.length >= 2) return { train: sets[0]!, val: sets[1]! };
  const only = sets[0];
  if (!only) throw new DatasetError(config.data, 'holds no dataset');
  const bySubject = only.samples.every((s) => s.subject !== undefined);
  const split = bySubject ? holdOutBySubject(only.samples, 0.1, config.seed) : holdOut(only.samples, 0.1, config.seed);
  return { train: subset(only, split.train, `${only.name}/train`), val: subset(only, split.test, `${only.name}/val`) };
}

function checkMix(config: CnnConfig): void {
  if (!config.mixData) return;
  if (!(config.mixShare >= 0 && config.mixShare <= 1)) throw new ConfigError(`--mixShare must be in [0, 1], got ${config.mixShare}`);
  if (!(Number.isInteger(config.epochSize) && config.epochSize >= 0))
    throw new ConfigError(`--epochSize must be a whole number >= 0, got ${config.epochSize}`);
  if (config.mixDataset && !(LAYOUTS as readonly string[]).includes(config.mixDataset))
    throw new ConfigError(`--mixDataset must be one of ${LAYOUTS.join(', ')}, got "${config.mixDataset}"`);
}

/** The one labelled dataset under config.mixData (a folder holding several splits is refused: which one?). */
export async function openMixDataset(config: CnnConfig): Promise<Dataset> {
  checkMix(config);
  const sets = await openDatasets(config.mixData, (config.mixDataset || undefined) as Layout | undefined);
  if (sets.length !== 1)
    throw new DatasetError(config.mixData, `--mixData needs one dataset, found ${sets.length} (${sets.map((s) => s.name).join(', ')})`);
  const only = sets[0]!;
  const excluded = new Set(config.mixExcludeSubjects);
  const labelled = only.samples.filter((s) => s.label !== undefined);
  if (labelled.length === 0) throw new DatasetError(config.mixData, '--mixData holds no labelled image');
  const unknown = config.mixExcludeSubjects.filter((id) => !labelled.some((s) => s.subject === id));
  if (unknown.length > 0)
    throw new ConfigError(`--mixExcludeSubjects: ${unknown.join(', ')} not among ${config.mixData}'s subjects (typo?)`);
  const kept = labelled.filter((s) => s.subject === undefined || !excluded.has(s.subject));
  return subset(only, kept, excluded.size > 0 ? `${only.name} without ${[...excluded].join(', ')}` : only.name);
}

export async function openCnnData(config: CnnConfig): Promise<OpenedCnnData> {
  checkOriginalShare(config);
  const { train, val } = await splitFor(config);
  const mix = config.mixData ? await openMixDataset(config) : undefined;
  return cnnDataFrom(train, val, config, mix);
}

/** One dataset whose images are read by the loader of the dataset each sample came from. */
function joined(primary: Dataset, mix: Dataset, samples: Sample[], name: string): Dataset {
  const fromMix = new Set(mix.samples);
  return { name, samples, loadImage: (s) => (fromMix.has(s) ? mix.loadImage(s) : primary.loadImage(s)) };
}

/**
 * Streamed batches from splits the caller already made (e.g. one cross-validation fold): the config's
 * balancing, limits, augmentation and class target apply as for openCnnData.
 */
export function cnnDataFrom(trainSplit: Dataset, valSplit: Dataset, config: CnnConfig, mix?: Dataset): OpenedCnnData {
  checkOriginalShare(config);
  checkMix(config);
  if (mix && mix.samples.length === 0) throw new DatasetError(config.mixData, `mix dataset "${mix.name}" is empty`);
  let train = trainSplit;
  let val = valSplit;
  if (train.samples.length === 0) throw new DatasetError(config.data, `training split "${train.name}" is empty`);
  if (val.samples.length === 0) throw new DatasetError(config.data, `validation split "${val.name}" is empty`);
  let balanceNote = '';
  if (config.balance !== 'none') {
    const withVa = train.samples.filter((s) => s.va);
    const r = balanceByHistogram(
      withVa.map((s) => s.va!.valence),
      withVa.map((s) => s.va!.arousal),
      createRng(deriveSeed(config.seed, 99)),
      { mode: config.balance },
    );
    balanceNote = `, balanced (${config.balance}) ${withVa.length} -> ${r.kept.length}`;
    train = subset(
      train,
      r.kept.map((i) => withVa[i]!),
      `${train.name}/balanced`,
    );
  }
  if (config.limitTrain > 0) train = subset(train, shuffled(train.samples, createRng(config.seed)).slice(0, config.limitTrain), train.name);
  if (config.limitVal > 0) val = subset(val, val.samples.slice(0, config.limitVal), val.name);
  const common = { ...runCropSpec(config), batchSize: config.batchSize, prefetch: 2 };
  const aug = config.augment ? (p: Float32Array, size: number, rng: () => number) => augment(p, size, rng, NORMALISED_AUGMENT) : undefined;
  const trainSet = train;
  const valSet = val;
  const epochMix: EpochMix | undefined = mix
    ? { epochSize: config.epochSize || trainSet.samples.length, mixShare: config.mixShare, seed: config.seed }
    : undefined;
  const massOf = (samples: readonly Sample[]): number[] => classMassOf(samples, config.classTarget, config.originalLabelShare);
  const epochSet = (epoch: number): Dataset =>
    mix && epochMix
      ? joined(trainSet, mix, drawEpoch(trainSet.samples, mix.samples, epochMix, epoch), `${trainSet.name}+${mix.name}`)
      : trainSet;
  const mixNote =
    mix && epochMix
      ? `; each epoch ${epochMix.epochSize} images, ${epochCounts(epochMix).mix} of them from ${mix.name} (${mix.samples.length} images, by class ${labelCounts(mix.samples).join('/')})`
      : '';
  return {
    trainSize: () => epochMix?.epochSize ?? trainSet.samples.length,
    classMass: () => (mix && epochMix ? epochClassMass(trainSet.samples, mix.samples, epochMix, massOf) : massOf(trainSet.samples)),
    async *train(epoch: number) {
      // A mixed epoch is already drawn in its own seeded order.
      const shuffle = !epochMix;
      for await (const b of batches(epochSet(epoch), { ...common, shuffle, seed: deriveSeed(config.seed, epoch), augment: aug }))
        yield toCnnBatch(b, config.classTarget, config.originalLabelShare);
    },
    async *val() {
      for await (const b of batches(valSet, { ...common, batchSize: 256, shuffle: false })) yield toCnnBatch(b, config.classTarget);
    },
    describe: () =>
      `train ${trainSet.name} ${trainSet.samples.length} images${balanceNote}${config.originalLabelShare > 0 ? `, class target ${1 - config.originalLabelShare} FER+ votes + ${config.originalLabelShare} original label` : ''}${mixNote}; val ${valSet.name} ${valSet.samples.length} images`,
  };
}
