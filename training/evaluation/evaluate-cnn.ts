/** Whole-set evaluation of a CNN: accuracy, macro-F1, confusion matrix, and valence/arousal CCC + RMSE. */
import * as tf from '../backend/tf.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';
import { accuracy, confusionMatrix, macroF1 } from '../metrics/classification.ts';
import { ccc, rmse } from '../metrics/regression.ts';
import type { CnnBatch } from '../data/cnn-data.ts';
import { batches, type BatchOptions } from '../data/batches.ts';
import type { Dataset } from '../data/types.ts';

export interface CnnEvaluation {
  count: number;
  metrics: Record<string, number>;
  /** Rows = true class, columns = predicted, EMOTIONS order (only when a classes head exists). */
  confusion?: number[][];
  /** Milliseconds per image of the forward pass on the current backend, batched. */
  msPerImage: number;
}

/** A dataset's images in dataset order, cropped as `crop` says, no augmentation: the input of predictCnn. */
export async function* datasetCnnBatches(dataset: Dataset, crop: Omit<BatchOptions, 'batchSize'>): AsyncGenerator<CnnBatch> {
  for await (const b of batches(dataset, { ...crop, batchSize: 256 }))
    yield { n: b.n, pixels: b.pixels, probs: b.probs, va: b.va, labels: b.labels };
}

export interface CnnPredictions {
  labels: number[];
  predicted: number[];
  probs: number[][];
  vaTrue: [number, number][];
  vaPred: [number, number][];
}

/**
 * Runs the model over batches and collects predictions (one output per head, by output name). `mirrorAverage`:
 * each output is the mean over the face and its mirror image, as the shipped app runs it.
 */
export async function predictCnn(
  model: tf.LayersModel,
  batches: AsyncIterable<CnnBatch>,
  inputSize: number,
  mirrorAverage = false,
): Promise<CnnPredictions & { ms: number }> {
  const out: CnnPredictions = { labels: [], predicted: [], probs: [], vaTrue: [], vaPred: [] };
  const names = model.outputNames;
  let ms = 0;
  for await (const b of batches) {
    const t0 = performance.now();
    const x = tf.tensor4d(b.pixels, [b.n, inputSize, inputSize, 1]);
    const ys = predictFaces(model, x, mirrorAverage);
    const values = await Promise.all(ys.map((t) => t.data()));
    ms += performance.now() - t0;
    tf.dispose([x, ...ys]);
    names.forEach((name, k) => {
      const v = values[k];
      if (!v) return;
      if (name === 'classes') {
        const c = v.length / b.n;
        for (let i = 0; i < b.n; i++) {
          const row = Array.from(v.subarray(i * c, (i + 1) * c));
          out.probs.push(row);
          out.predicted.push(row.indexOf(Math.max(...row)));
          out.labels.push(b.labels[i] ?? -1);
        }
      } else if (name === 'va') {
        for (let i = 0; i < b.n; i++) {
          out.vaPred.push([v[2 * i] ?? 0, v[2 * i + 1] ?? 0]);
          out.vaTrue.push([b.va[2 * i] ?? 0, b.va[2 * i + 1] ?? 0]);
        }
      }
    });
  }
  return { ...out, ms };
}

export function summarise(p: CnnPredictions, numClasses: number, ms: number): CnnEvaluation {
  const metrics: Record<string, number> = {};
  let confusion: number[][] | undefined;
  const keep = p.labels.map((l, i) => (l >= 0 ? i : -1)).filter((i) => i >= 0);
  if (keep.length > 0) {
    const labels = keep.map((i) => p.labels[i] ?? 0);
    const preds = keep.map((i) => p.predicted[i] ?? 0);
    metrics.accuracy = accuracy(labels, preds);
    metrics.macroF1 = macroF1(labels, preds, numClasses);
    confusion = confusionMatrix(labels, preds, numClasses);
  }
  if (p.vaPred.length > 0) {
    const col = (a: [number, number][], j: 0 | 1): number[] => a.map((r) => r[j]);
    metrics.cccValence = ccc(col(p.vaTrue, 0), col(p.vaPred, 0));
    metrics.cccArousal = ccc(col(p.vaTrue, 1), col(p.vaPred, 1));
    metrics.rmseValence = rmse(col(p.vaTrue, 0), col(p.vaPred, 0));
    metrics.rmseArousal = rmse(col(p.vaTrue, 1), col(p.vaPred, 1));
  }
  const count = Math.max(p.labels.length, p.vaPred.length);
  return { count, metrics, confusion, msPerImage: count > 0 ? ms / count : NaN };
}

export async function evaluateCnn(
  model: tf.LayersModel,
  batches: AsyncIterable<CnnBatch>,
  inputSize: number,
  numClasses: number,
): Promise<CnnEvaluation> {
  const p = await predictCnn(model, batches, inputSize);
  return summarise(p, numClasses, p.ms);
}

/**
 * The number the best epoch is chosen by: accuracy for a classes model, mean CCC for a VA model, and
 * their mean for a multi-task model.
 */
export function selectionMetric(e: CnnEvaluation, heads: 'classes' | 'va' | 'both'): number {
  const acc = e.metrics.accuracy ?? 0;
  const meanCcc = ((e.metrics.cccValence ?? 0) + (e.metrics.cccArousal ?? 0)) / 2;
  if (heads === 'classes') return acc;
  if (heads === 'va') return meanCcc;
  return (acc + meanCcc) / 2;
}
