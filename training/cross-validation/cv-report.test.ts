import { describe, expect, test } from 'vitest';
import type { Emotion } from '../../src/core/emotions.ts';
import type { Sample } from '../data/types.ts';
import {
  classCounts,
  markdownTable,
  renderCvMarkdown,
  SELECTION,
  summariseKFold,
  sumConfusions,
  type CvReport,
  type FoldResult,
} from './cv-report.ts';

const LABELS: Emotion[] = ['happy', 'sad'];

function fold(name: string, accuracy: number, confusion: number[][]): FoldResult {
  return {
    name,
    kind: 'kfold',
    index: Number(name.slice(-2)),
    testSubjects: ['S001'],
    trainSubjects: 9,
    trainImages: 90,
    testImages: confusion.flat().reduce((a, b) => a + b, 0),
    epochs: 3,
    accuracy,
    macroF1: accuracy - 0.1,
    labels: LABELS,
    confusion,
    monitorAccuracy: [0.5, 0.6, accuracy],
    seconds: 12,
  };
}

describe('cross-validation report', () => {
  const a = fold('fold-01', 0.8, [
    [3, 1],
    [1, 5],
  ]);
  const b = fold('fold-02', 0.6, [
    [2, 2],
    [0, 1],
  ]);

  test('classCounts: images and distinct subjects per class, in the model order, absent classes left out', () => {
    const s = (subject: string, label: Emotion): Sample => ({ id: `${subject}-${label}-${Math.random()}`, source: '', subject, label });
    expect(classCounts([s('S1', 'sad'), s('S1', 'sad'), s('S2', 'sad'), s('S1', 'happy')])).toEqual([
      { label: 'happy', images: 1, subjects: 1 },
      { label: 'sad', images: 3, subjects: 2 },
    ]);
  });

  test('folds summed: confusion added cell by cell, pooled accuracy from the sum, mean ± sd per fold', () => {
    expect(sumConfusions([a, b])).toEqual([
      [5, 3],
      [1, 6],
    ]);
    const k = summariseKFold([a, b]);
    expect(k.pooledAccuracy).toBeCloseTo(11 / 15, 12);
    expect(k.accuracy.mean).toBeCloseTo(0.7, 12);
    expect(k.accuracy.sd).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(k.labels).toEqual(LABELS);
    expect(() => sumConfusions([a, { ...b, labels: ['sad', 'happy'] }])).toThrow(/fold-02 has classes sad, happy/);
    expect(() => sumConfusions([a, { ...b, confusion: [[1]] }])).toThrow(/fold-02's matrix is not 2x2/);
  });

  test('markdownTable: header, separator, one line per row, pipes escaped, ragged rows refused', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/row 0 has 1 cells, the header 2/);
  });

  test('the markdown has the class counts, every fold, mean ± sd, min / max, the confusion matrix and the 90/10 row', () => {
    const report: CvReport = {
      dataset: 'ck',
      images: 15,
      subjects: 2,
      classCounts: [
        { label: 'happy', images: 8, subjects: 2 },
        { label: 'sad', images: 7, subjects: 2 },
      ],
      selection: SELECTION,
      settings: {
        protocol: 'both',
        folds: 2,
        limitFolds: 0,
        seed: 1,
        initFrom: 'runs/x',
        model: 'efficient',
        inputSize: 48,
        heads: 'both',
        epochs: 3,
        batchSize: 64,
        lr: 0.002,
        classWeighting: 'none',
        augment: true,
        limitTrain: 0,
        backend: 'wasm',
      },
      kfold: summariseKFold([a, b]),
      holdout: {
        ...fold('fold-01', 0.9, [
          [1, 0],
          [0, 1],
        ]),
        name: 'holdout-90-10',
        kind: 'holdout',
        monitorAccuracy: [0.7, 0.95, 0.9],
      },
      seconds: 125,
      wallSeconds: 61,
    };
    const md = renderCvMarkdown(report);
    const lines = md.split('\n');
    expect(lines).toContain('| happy | 8 | 2 |');
    expect(lines).toContain('| all | 15 | 2 |');
    expect(lines).toContain('| fold-01 | 1 | 10 | 90 | 80.0% | 0.700 |');
    expect(lines).toContain('| fold-02 | 1 | 5 | 90 | 60.0% | 0.500 |');
    expect(lines).toContain('| mean ± sd |  |  |  | 70.0% ± 14.1 | 0.600 ± 0.141 |');
    expect(lines).toContain('| min / max |  |  |  | 60.0% / 80.0% | 0.500 / 0.700 |');
    expect(lines).toContain('| happy | 5 | 3 |');
    expect(lines).toContain('| holdout-90-10 | 1 | 2 | 90 | 90.0% | 0.800 |');
    expect(md).toContain('reached 95.0%');
    expect(md).toContain('Pooled over all 15 test images (summed confusion matrix): 73.3%');
    expect(md).toContain(SELECTION);
    expect(md).toContain('fine-tuned per fold from `runs/x`');
    expect(md).toContain('Total time: 2:05 (3 splits trained and scored; this invocation 1:01).');
  });
});
