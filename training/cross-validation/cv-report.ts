/** The cross-validation report: what is saved per fold, the summary over folds, and its markdown rendering. */
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import type { Sample } from '../data/types.ts';
import { formatDuration } from '../util/progress.ts';
import { summaryStats, type SummaryStats } from '../evaluation/summary-stats.ts';

/** Written to <fold dir>/fold-result.json when a fold is done; --resume skips folds that have one. */
export interface FoldResult {
  name: string;
  kind: 'kfold' | 'holdout';
  index: number;
  testSubjects: string[];
  trainSubjects: number;
  trainImages: number;
  testImages: number;
  /** Epochs trained; the model after the last one is the one scored. */
  epochs: number;
  accuracy: number;
  macroF1: number;
  /** Classes of the confusion matrix, in order. */
  labels: Emotion[];
  /** counts[true][predicted] over this fold's test images. */
  confusion: number[][];
  /**
   * The training loop's per-epoch accuracy on this test split (argmax over all model outputs): a learning
   * curve to look at, never used to pick an epoch or a model.
   */
  monitorAccuracy: number[];
  seconds: number;
}

export interface ClassCount {
  label: Emotion;
  images: number;
  subjects: number;
}

export interface KFoldSummary {
  folds: FoldResult[];
  accuracy: SummaryStats;
  macroF1: SummaryStats;
  /** Accuracy of the summed confusion matrix (every image counted once). */
  pooledAccuracy: number;
  labels: Emotion[];
  confusion: number[][];
}

export interface CvReport {
  dataset: string;
  images: number;
  subjects: number;
  classCounts: ClassCount[];
  /** How the scored model was chosen, in words. */
  selection: string;
  settings: {
    protocol: string;
    folds: number;
    limitFolds: number;
    seed: number;
    initFrom: string;
    model: string;
    inputSize: number;
    heads: string;
    epochs: number;
    batchSize: number;
    lr: number;
    /** 'time' (the paper's decay) or 'cosine'; absent in reports written before schedules existed. */
    schedule?: string;
    classWeighting: string;
    augment: boolean;
    limitTrain: number;
    /** With a training mix (CnnConfig.mixData): what each fold trained on, in words; absent = the fold's images only. */
    trainedWith?: string;
    mixShare?: number;
    epochSize?: number;
    backend: string;
    /** Test images scored with their mirror image averaged in, as the app runs the CNN; absent = single view. */
    mirrorAverage?: boolean;
  };
  kfold?: KFoldSummary;
  holdout?: FoldResult;
  /** Time of all splits together, those finished by an earlier, resumed invocation included. */
  seconds: number;
  /** Wall time of the invocation that wrote this report. */
  wallSeconds: number;
}

export const SELECTION = 'model after the last epoch; no epoch or model is chosen on a test fold';

/** Images and distinct subjects per class, in EMOTIONS order, for the classes present. */
export function classCounts(samples: readonly Sample[]): ClassCount[] {
  return EMOTIONS.flatMap((label) => {
    const of = samples.filter((s) => s.label === label);
    return of.length > 0 ? [{ label, images: of.length, subjects: new Set(of.map((s) => s.subject)).size }] : [];
  });
}

/** Element-wise sum of same-shaped matrices with the same labels. */
export function sumConfusions(results: readonly Pick<FoldResult, 'name' | 'labels' | 'confusion'>[]): number[][] {
  const first = results[0];
  if (!first) throw new Error('sumConfusions: no results');
  return first.confusion.map((row, i) =>
    row.map((_, j) =>
      results.reduce((s, r) => {
        if (r.labels.join() !== first.labels.join())
          throw new Error(`sumConfusions: ${r.name} has classes ${r.labels.join(', ')}, ${first.name} has ${first.labels.join(', ')}`);
        const v = r.confusion[i]?.[j];
        if (v === undefined) throw new Error(`sumConfusions: ${r.name}'s matrix is not ${first.labels.length}x${first.labels.length}`);
        return s + v;
      }, 0),
    ),
  );
}

export function summariseKFold(folds: readonly FoldResult[]): KFoldSummary {
  const confusion = sumConfusions(folds);
  const total = confusion.flat().reduce((s, v) => s + v, 0);
  const diagonal = confusion.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  return {
    folds: [...folds],
    accuracy: summaryStats(folds.map((f) => f.accuracy)),
    macroF1: summaryStats(folds.map((f) => f.macroF1)),
    pooledAccuracy: total > 0 ? diagonal / total : 0,
    labels: folds[0]?.labels ?? [],
    confusion,
  };
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new Error(`markdownTable: row ${i} has ${r.length} cells, the header ${header.length}`);
  });
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f1 = (x: number): string => x.toFixed(3);
const pctSd = (s: SummaryStats): string => `${pct(s.mean)} ± ${(100 * s.sd).toFixed(1)}`;

function foldRow(f: FoldResult): string[] {
  return [f.name, String(f.testSubjects.length), String(f.testImages), String(f.trainImages), pct(f.accuracy), f1(f.macroF1)];
}

/** Markdown ready for the model card: settings, class counts, per-fold table with mean ± sd, confusion, 90/10. */
export function renderCvMarkdown(r: CvReport): string {
  const s = r.settings;
  const start = s.initFrom ? `fine-tuned per fold from \`${s.initFrom}\`` : 'trained from scratch per fold';
  const out: string[] = [
    `## CK+48 subject-independent evaluation`,
    '',
    `${s.model} CNN (${s.inputSize}px, heads ${s.heads}), ${start}; ${s.epochs} epochs, batch ${s.batchSize}, lr ${s.lr}${s.schedule === 'cosine' ? ' (cosine to 0)' : ''}, ` +
      `class weighting ${s.classWeighting}, augmentation ${s.augment ? 'on' : 'off'}${s.limitTrain > 0 ? `, at most ${s.limitTrain} training images per fold` : ''}; ` +
      `${s.trainedWith ? `trained on ${s.trainedWith} (${s.epochSize} images per epoch, ${s.mixShare} of them CK+); ` : ''}` +
      `seed ${s.seed}, backend ${s.backend}. Scored: ${r.selection}${s.mirrorAverage ? ', each test image averaged with its mirror image (as the app runs)' : ', single view'}. Accuracy is the argmax over CK+48's ${r.classCounts.length} classes.`,
    '',
    `### Data: ${r.dataset}, ${r.images} images, ${r.subjects} subjects`,
    '',
    markdownTable(
      ['class', 'images', 'subjects'],
      [...r.classCounts.map((c) => [c.label, String(c.images), String(c.subjects)]), ['all', String(r.images), String(r.subjects)]],
    ),
  ];
  const k = r.kfold;
  if (k) {
    const partial = s.limitFolds > 0 && s.limitFolds < s.folds ? ` (first ${k.folds.length} of ${s.folds} folds only)` : '';
    out.push(
      '',
      `### ${s.folds}-fold cross-validation by subject${partial}`,
      '',
      markdownTable(
        ['fold', 'test subjects', 'test images', 'train images', 'accuracy', 'macro-F1'],
        [
          ...k.folds.map(foldRow),
          ['mean ± sd', '', '', '', pctSd(k.accuracy), `${f1(k.macroF1.mean)} ± ${f1(k.macroF1.sd)}`],
          ['min / max', '', '', '', `${pct(k.accuracy.min)} / ${pct(k.accuracy.max)}`, `${f1(k.macroF1.min)} / ${f1(k.macroF1.max)}`],
        ],
      ),
      '',
      `Pooled over all ${k.confusion.flat().reduce((a, b) => a + b, 0)} test images (summed confusion matrix): ${pct(k.pooledAccuracy)}. ` +
        `Standard deviation is the sample sd over ${k.accuracy.n} folds.`,
      '',
      '#### Summed confusion matrix (rows: true class, columns: predicted)',
      '',
      markdownTable(
        ['true \\ predicted', ...k.labels],
        k.confusion.map((row, i) => [k.labels[i] ?? '', ...row.map(String)]),
      ),
    );
  }
  const h = r.holdout;
  if (h) {
    const best = h.monitorAccuracy.length > 0 ? Math.max(...h.monitorAccuracy) : NaN;
    out.push(
      '',
      `### The paper's protocol: one subject-independent 90/10 split`,
      '',
      markdownTable(['split', 'test subjects', 'test images', 'train images', 'accuracy', 'macro-F1'], [foldRow(h)]),
      '',
      `For comparison with the paper's 94.7% (its model chosen on that same split): the best epoch on this test split ` +
        `reached ${Number.isFinite(best) ? pct(best) : 'n/a'} (argmax over all outputs), an optimistic figure that is not the result above.`,
    );
  }
  const splits = (k?.folds.length ?? 0) + (h ? 1 : 0);
  out.push(
    '',
    `Total time: ${formatDuration(r.seconds)} (${splits} splits trained and scored; this invocation ${formatDuration(r.wallSeconds)}).`,
    '',
  );
  return out.join('\n');
}
