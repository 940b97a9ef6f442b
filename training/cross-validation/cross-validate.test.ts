import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { CNN_DEFAULTS, mergeConfig } from '../config/config.ts';
import { makeTempDir } from '../data/fixtures.ts';
import { writeFerFixture } from '../testing/fer-fixture.ts';
import { FOLD_RESULT_FILE, runCrossValidation } from './cross-validate.ts';
import type { CvReport, FoldResult } from './cv-report.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const ckplus48 = path.resolve(repoRoot, '../shared/datasets/ckplus48');
const have = existsSync(ckplus48);

describe.skipIf(!have)(`CK+48 cross-validation end to end (${have ? 'real CK+48' : `skipped: ${ckplus48} is absent`})`, () => {
  const tmp = makeTempDir('ckplus-cv');
  afterAll(tmp.cleanup);
  beforeAll(async () => {
    await selectBackend('wasm', { log: () => undefined });
  });

  test('2 folds (first only) + the 90/10 split: disjoint subjects, full test folds, report files, and --resume reads saved folds', async () => {
    const outDir = path.join(tmp.dir, 'cv');
    const config = mergeConfig(CNN_DEFAULTS, [], {
      data: ckplus48,
      dataset: 'image-folder',
      heads: 'classes',
      classTarget: 'majority',
      inputSize: '32',
      epochs: '1',
      batchSize: '32',
      limitTrain: '64',
      outDir,
    });
    const plan = { folds: 2, seed: 1, protocol: 'both', limitFolds: 1 } as const;
    const before = tf.memory().numTensors;
    const { report, markdown } = await runCrossValidation({
      config,
      plan,
      resume: false,
      mirrorAverage: true,
      backend: 'wasm',
      quiet: true,
    });
    // Each split's model is freed; tfjs-layers' compile() keeps one tensor per training run (see loop.test.ts).
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);

    expect(report.images).toBe(981);
    expect(report.subjects).toBe(118);
    expect(report.classCounts.map((c) => c.label)).toEqual(['happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt']);
    expect(report.classCounts.reduce((n, c) => n + c.images, 0)).toBe(981);

    const fold = report.kfold?.folds[0];
    const holdout = report.holdout;
    expect(report.kfold?.folds).toHaveLength(1);
    for (const r of [fold, holdout]) {
      expect(r?.epochs).toBe(1);
      expect(r?.trainImages).toBe(64);
      expect(r?.confusion).toHaveLength(7);
      expect(r?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(r?.testImages);
      expect(r?.accuracy).toBeGreaterThanOrEqual(0);
      expect(r?.accuracy).toBeLessThanOrEqual(1);
    }
    // Two folds: the first holds about half the subjects; the 90/10 split about a tenth of the images.
    expect(fold!.testImages).toBeGreaterThan(450);
    expect(fold!.testImages).toBeLessThan(531);
    // Every subject is on some side, so the counts add up to 118 only when none is on both.
    expect(fold!.testSubjects.length + fold!.trainSubjects).toBe(118);
    expect(holdout!.testImages).toBeGreaterThanOrEqual(98);
    expect(holdout!.testSubjects.length + holdout!.trainSubjects).toBe(118);
    expect(report.kfold?.accuracy.n).toBe(1);

    const saved = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as CvReport;
    expect(saved.kfold?.folds[0]?.testSubjects).toEqual(fold?.testSubjects);
    expect(readFileSync(path.join(outDir, 'report.md'), 'utf8')).toBe(markdown);
    expect(markdown).toContain('| fold-01 |');
    expect(markdown).toContain('| holdout-90-10 |');
    expect(report.settings.mirrorAverage).toBe(true);
    expect(markdown).toContain('averaged with its mirror image');
    for (const f of [
      'kfold-confusion.json',
      'kfold-confusion.png',
      'holdout-confusion.json',
      'holdout-confusion.png',
      'fold-01/checkpoint/state.json',
    ]) {
      expect(existsSync(path.join(outDir, f)), f).toBe(true);
    }
    const foldFile = JSON.parse(readFileSync(path.join(outDir, 'fold-01', FOLD_RESULT_FILE), 'utf8')) as FoldResult;
    expect(foldFile.accuracy).toBe(fold?.accuracy);

    // Resumed: both splits are read back, not retrained (their saved seconds come back unchanged).
    const again = await runCrossValidation({ config, plan, resume: true, mirrorAverage: true, backend: 'wasm', quiet: true });
    expect(again.report.kfold?.folds[0]).toEqual(fold);
    expect(again.report.holdout).toEqual(holdout);
    // A different seed puts other subjects in fold 1: its saved result must not be taken for it.
    await expect(
      runCrossValidation({
        config: { ...config, seed: 2 },
        plan: { ...plan, seed: 2 },
        resume: true,
        mirrorAverage: true,
        backend: 'wasm',
        quiet: true,
      }),
    ).rejects.toThrow(/different --folds or --seed/);
  }, 120_000);

  test('with a training mix (FER+ + CK+48), CK+48 is what is folded: each fold trains on the primary data and its own training subjects', async () => {
    const fer = path.join(tmp.dir, 'fer');
    writeFerFixture(fer, 16, 3, 4);
    const outDir = path.join(tmp.dir, 'cv-mix');
    const config = mergeConfig(CNN_DEFAULTS, [], {
      data: fer,
      dataset: 'ferplus',
      mixData: ckplus48,
      mixShare: '0.5',
      epochSize: '64',
      heads: 'classes',
      inputSize: '32',
      epochs: '1',
      batchSize: '32',
      outDir,
    });
    const { report, markdown } = await runCrossValidation({
      config,
      plan: { folds: 10, seed: 1, protocol: 'kfold', limitFolds: 1 },
      resume: false,
      mirrorAverage: true,
      backend: 'wasm',
      quiet: true,
    });
    expect(report.dataset).toBe(ckplus48);
    expect(report.images).toBe(981);
    expect(report.subjects).toBe(118);
    const fold = report.kfold!.folds[0]!;
    // The fold's test subjects are CK+ people: a tenth of them, none among the fold's training subjects.
    expect(fold.testSubjects.length + fold.trainSubjects).toBe(118);
    expect(fold.testSubjects.length).toBeGreaterThanOrEqual(11);
    expect(fold.trainImages).toBe(64);
    expect(fold.confusion.flat().reduce((a, b) => a + b, 0)).toBe(fold.testImages);
    expect(report.settings.trainedWith).toContain('training split');
    expect(markdown).toContain(`trained on ${fer} training split`);
  }, 120_000);
});
