import type { Emotion } from '../../src/core/emotions.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { scoreRestricted, type RestrictedScore } from './score.ts';
import { sharedClasses } from './shared-classes.ts';
import type { EmotionClassifier } from './types.ts';

export interface DatasetResult {
  name: string;
  /** Labelled images used. */
  images: number;
  classCounts: Partial<Record<Emotion, number>>;
  /** The classes that the dataset has and every model answers. */
  commonClasses: Emotion[];
  /** Per model: on its own classes (dataset's classes it has) and on the common classes. */
  results: Record<string, { own: RestrictedScore; common: RestrictedScore }>;
}

export interface Timing {
  faces: number;
  medianMs: number;
  p90Ms: number;
}

export interface Comparison {
  datasets: DatasetResult[];
  /** classify() per face, batch 1: the model's own preprocessing from decoded pixels, forward pass, read-back. */
  timing: Record<string, Timing>;
}

/** The q-quantile (0..1) by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile: no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/**
 * `n` items evenly spaced through `items`, in order (all of them when n >= length): a quick run still sees
 * every class of a dataset stored class by class.
 */
export function spread<T>(items: readonly T[], n: number): T[] {
  if (!(n < items.length)) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

export interface CompareOptions {
  /** At most this many images per dataset, evenly spaced through it (every k-th); 0 or absent = all. */
  limit?: number;
  /** Called every so often with images done / total. */
  progress?: (done: number, total: number) => void;
  /** Untimed calls per model before timing starts. */
  warmup?: number;
}

/**
 * Runs every model on every labelled image of the datasets, the same decoded image for all of them (an image
 * shared by two datasets, e.g. FER+ test under two label sets, is classified once), models interleaved per
 * image so that load on the machine falls on all alike; then scores each dataset.
 */
export async function compareModels(
  models: readonly EmotionClassifier[],
  datasets: readonly Dataset[],
  options: CompareOptions = {},
): Promise<Comparison> {
  if (models.length === 0) throw new Error('compareModels: no models');
  const names = new Set(models.map((m) => m.name));
  if (names.size !== models.length) throw new Error(`compareModels: model names must differ (${models.map((m) => m.name).join(', ')})`);
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const chosen = datasets.map((ds) => ({
    ds,
    samples: spread(
      ds.samples.filter((s): s is Sample & { label: Emotion } => s.label !== undefined),
      limit,
    ),
  }));
  const unique = new Map<string, { ds: Dataset; sample: Sample }>();
  for (const { ds, samples } of chosen)
    for (const sample of samples) if (!unique.has(sample.source)) unique.set(sample.source, { ds, sample });

  const scores = new Map<string, Float32Array[]>();
  const times: number[][] = models.map(() => []);
  let done = 0;
  for (const [source, { ds, sample }] of unique) {
    const image = await ds.loadImage(sample);
    if (done === 0) for (const m of models) for (let i = 0; i < (options.warmup ?? 10); i++) m.classify(image);
    const row = models.map((m, k) => {
      const t0 = performance.now();
      const probs = m.classify(image);
      times[k]?.push(performance.now() - t0);
      return probs;
    });
    scores.set(source, row);
    done++;
    if (done % 250 === 0 || done === unique.size) options.progress?.(done, unique.size);
  }

  const results = chosen.map(({ ds, samples }): DatasetResult => {
    const truth = samples.map((s) => s.label);
    const classCounts: Partial<Record<Emotion, number>> = {};
    for (const t of truth) classCounts[t] = (classCounts[t] ?? 0) + 1;
    const present = Object.keys(classCounts) as Emotion[];
    const commonClasses = sharedClasses(present, ...models.map((m) => m.labels));
    const perModel: DatasetResult['results'] = {};
    models.forEach((m, k) => {
      const rows = samples.map((s) => scores.get(s.source)?.[k] ?? new Float32Array(0));
      perModel[m.name] = {
        own: scoreRestricted(truth, rows, m.labels, sharedClasses(present, m.labels)),
        common: scoreRestricted(truth, rows, m.labels, commonClasses),
      };
    });
    return { name: ds.name, images: samples.length, classCounts, commonClasses, results: perModel };
  });
  const timing: Record<string, Timing> = {};
  models.forEach((m, k) => {
    const t = times[k] ?? [];
    timing[m.name] = { faces: t.length, medianMs: quantile(t, 0.5), p90Ms: quantile(t, 0.9) };
  });
  return { datasets: results, timing };
}
