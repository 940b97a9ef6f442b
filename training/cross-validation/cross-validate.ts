/**
 * Subject-independent cross-validation of the CNN on one labelled dataset (CK+48): per split, train with the
 * ordinary training loop (from scratch or fine-tuned from a trained run), score the model after the LAST epoch on
 * the held-out subjects, and summarise over folds. Every split has its own run folder with checkpoints and a
 * fold-result.json, so an interrupted cross-validation resumes where it stopped.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type CnnConfig } from '../config/config.ts';
import { DatasetError } from '../data/errors.ts';
import { openDatasets, type Layout } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { renderConfusionPng, writeConfusionJson } from '../metrics/confusion-report.ts';
import { hasCheckpoint } from '../loops/checkpoint.ts';
import { crossValidationSplits, subjectIds, type CvPlan, type CvSplit } from './cv-folds.ts';
import { classCounts, renderCvMarkdown, SELECTION, summariseKFold, type CvReport, type FoldResult } from './cv-report.ts';
import { predictCnn } from '../evaluation/evaluate-cnn.ts';
import { cnnDataFrom, openMixDataset, splitFor } from '../data/open-cnn-data.ts';
import { formatDuration } from '../util/progress.ts';
import { scoreOnClasses } from '../evaluation/score-on-classes.ts';
import { trainCnn } from '../loops/train-cnn.ts';

export const FOLD_RESULT_FILE = 'fold-result.json';

export interface CrossValidationOptions {
  /** Training config of every split; its outDir is the cross-validation's folder. */
  config: CnnConfig;
  plan: CvPlan;
  /** Skip splits with a fold-result.json and continue a split's training from its checkpoint. */
  resume: boolean;
  /** Name of the active backend, for the report. */
  backend: string;
  /** Score each test image averaged with its mirror image, as the app runs the CNN (src/core/mirror-average.ts). */
  mirrorAverage: boolean;
  /** Silences the training loop's progress output. */
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface CrossValidationResult {
  report: CvReport;
  markdown: string;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * The dataset to fold by subject and, when the recipe mixes a second dataset into training (config.mixData), the
 * primary training split every fold also trains on: the folded dataset is then mixData, so each fold's test
 * subjects are kept out of all of its training.
 */
interface CvData {
  folded: Dataset;
  primaryTrain?: Dataset;
}

async function openCvData(config: CnnConfig): Promise<CvData> {
  if (!config.mixData) return { folded: await openSubjectDataset(config) };
  const [folded, { train }] = await Promise.all([openMixDataset(config), splitFor(config)]);
  requireSubjects(folded);
  return { folded, primaryTrain: train };
}

function requireSubjects(ds: Dataset): void {
  const missing = ds.samples.find((s) => s.subject === undefined);
  if (missing)
    throw new DatasetError(
      missing.source,
      'no subject id in the file name (subject-independent folds need CK+ names like S010_004_00000017.png)',
    );
}

/** The one dataset under config.data, every sample with a subject id. */
async function openSubjectDataset(config: CnnConfig): Promise<Dataset> {
  const sets = await openDatasets(config.data, config.dataset as Layout);
  if (sets.length !== 1)
    throw new DatasetError(
      config.data,
      `expected one dataset to cross-validate, found ${sets.length} (${sets.map((s) => s.name).join(', ')})`,
    );
  const ds = sets[0]!;
  requireSubjects(ds);
  return ds;
}

async function readFoldResult(file: string, split: CvSplit): Promise<FoldResult> {
  const saved = JSON.parse(await readFile(file, 'utf8')) as FoldResult;
  if (saved.testSubjects.join() !== split.testSubjects.join()) {
    throw new ConfigError(
      `${file}: saved for test subjects ${saved.testSubjects.join(', ')}, but this plan's ${split.name} holds ${split.testSubjects.join(', ')} (different --folds or --seed?); use a fresh --outDir`,
    );
  }
  return saved;
}

async function runSplit({ folded: ds, primaryTrain }: CvData, split: CvSplit, opts: CrossValidationOptions): Promise<FoldResult> {
  const dir = path.join(opts.config.outDir, split.name);
  const config: CnnConfig = { ...opts.config, outDir: dir };
  const classes = classCounts(ds.samples).map((c) => c.label);
  const foldTrain: Dataset = { ...ds, name: `${ds.name}/${split.name}/train`, samples: split.train };
  const foldTest: Dataset = { ...ds, name: `${ds.name}/${split.name}/test`, samples: split.test };
  const data = primaryTrain ? cnnDataFrom(primaryTrain, foldTest, config, foldTrain) : cnnDataFrom(foldTrain, foldTest, config);
  const started = performance.now();
  const resume = opts.resume && (await hasCheckpoint(dir));
  const trained = await trainCnn(config, data, { resume, quiet: opts.quiet });
  try {
    const p = await predictCnn(trained.model, data.val(), config.inputSize, opts.mirrorAverage);
    const score = scoreOnClasses(p.labels, p.probs, classes);
    const result: FoldResult = {
      name: split.name,
      kind: split.kind,
      index: split.index,
      testSubjects: split.testSubjects,
      trainSubjects: subjectIds(split.train).length,
      trainImages: data.trainSize(),
      testImages: score.images,
      epochs: trained.state.epoch,
      accuracy: score.accuracy,
      macroF1: score.macroF1,
      labels: classes,
      confusion: score.confusion,
      monitorAccuracy: trained.state.history.map((h) => h.val.accuracy ?? NaN),
      seconds: (performance.now() - started) / 1000,
    };
    await writeFile(path.join(dir, FOLD_RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    trained.model.dispose();
  }
}

export async function runCrossValidation(opts: CrossValidationOptions): Promise<CrossValidationResult> {
  const { config, plan } = opts;
  const log = opts.log ?? (() => undefined);
  if (config.limitVal > 0) throw new ConfigError('--limitVal does not apply to cross-validation: every test image of a split is scored');
  const t0 = performance.now();
  const cvData = await openCvData(config);
  const ds = cvData.folded;
  const counts = classCounts(ds.samples);
  const splits = crossValidationSplits(ds.samples, plan);
  await mkdir(config.outDir, { recursive: true });
  const results: FoldResult[] = [];
  for (const split of splits) {
    const file = path.join(config.outDir, split.name, FOLD_RESULT_FILE);
    if (opts.resume && (await exists(file))) {
      const r = await readFoldResult(file, split);
      results.push(r);
      log(`${split.name}: done earlier (${file}): accuracy ${(100 * r.accuracy).toFixed(1)}%`);
      continue;
    }
    log(
      `${split.name}: train ${split.train.length} images (${subjectIds(split.train).length} subjects), test ${split.test.length} images (${split.testSubjects.length} subjects: ${split.testSubjects.join(' ')})`,
    );
    const r = await runSplit(cvData, split, opts);
    results.push(r);
    log(
      `${split.name}: accuracy ${(100 * r.accuracy).toFixed(1)}% macro-F1 ${r.macroF1.toFixed(3)} after epoch ${r.epochs} (${formatDuration(r.seconds)})`,
    );
  }
  const folds = results.filter((r) => r.kind === 'kfold');
  const report: CvReport = {
    dataset: config.mixData || config.data,
    images: ds.samples.length,
    subjects: subjectIds(ds.samples).length,
    classCounts: counts,
    selection: SELECTION,
    settings: {
      protocol: plan.protocol,
      folds: plan.folds,
      limitFolds: plan.limitFolds,
      seed: config.seed,
      initFrom: config.initFrom,
      model: config.model,
      inputSize: config.inputSize,
      heads: config.heads,
      epochs: config.epochs,
      batchSize: config.batchSize,
      lr: config.optim.lr,
      schedule: config.optim.schedule,
      classWeighting: config.classWeighting,
      augment: config.augment,
      limitTrain: config.limitTrain,
      ...(config.mixData
        ? {
            trainedWith: `${config.data} training split + each fold's ${config.mixData} training subjects`,
            mixShare: config.mixShare,
            epochSize: config.epochSize,
          }
        : {}),
      backend: opts.backend,
      mirrorAverage: opts.mirrorAverage,
    },
    kfold: folds.length > 0 ? summariseKFold(folds) : undefined,
    holdout: results.find((r) => r.kind === 'holdout'),
    seconds: results.reduce((sum, r) => sum + r.seconds, 0),
    wallSeconds: (performance.now() - t0) / 1000,
  };
  const markdown = renderCvMarkdown(report);
  await writeFile(path.join(config.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(config.outDir, 'report.md'), markdown);
  const title = `CK+48 (${config.model} CNN${config.initFrom ? `, from ${config.initFrom}` : ', from scratch'})`;
  if (report.kfold) {
    const { labels, confusion } = report.kfold;
    writeConfusionJson(confusion, labels, path.join(config.outDir, 'kfold-confusion.json'));
    renderConfusionPng(
      confusion,
      labels,
      `${title}: ${report.kfold.folds.length} folds summed`,
      path.join(config.outDir, 'kfold-confusion.png'),
    );
  }
  if (report.holdout) {
    const { labels, confusion } = report.holdout;
    writeConfusionJson(confusion, labels, path.join(config.outDir, 'holdout-confusion.json'));
    renderConfusionPng(confusion, labels, `${title}: 90/10 split`, path.join(config.outDir, 'holdout-confusion.png'));
  }
  return { report, markdown };
}
