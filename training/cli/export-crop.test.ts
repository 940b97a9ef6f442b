/**
 * One crop spec end to end: a run trained with a crop other than the default exports that crop into the manifest,
 * and the manifest's crop is what the app and the evaluation CLIs read back.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { entryCropSpec, modelForTask, parseManifest } from '../../src/core/manifest.ts';
import { selectBackend } from '../backend/select.ts';
import { CNN_DEFAULTS, mergeConfig } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { FACE_CROP_LEVEL_EYES, FACE_CROP_MARGIN, FACE_CROP_SHIFT_Y } from '../config/default-crop.ts';
import { makeTempDir, writeGrayPng } from '../data/fixtures.ts';
import { bestDir } from '../loops/checkpoint.ts';
import { openCnnData } from '../data/open-cnn-data.ts';
import { trainCnn } from '../loops/train-cnn.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = makeTempDir('export-crop');
afterAll(tmp.cleanup);
beforeAll(async () => {
  await selectBackend('wasm', { log: () => undefined });
});

test("export writes the run's own crop into the manifest, and the app's reader returns exactly it", async () => {
  const data = path.join(tmp.dir, 'faces');
  for (const [label, level] of [
    ['happy', 200],
    ['sad', 60],
  ] as const) {
    for (let i = 0; i < 10; i++) writeGrayPng(path.join(data, label, `${i}.png`), 48, 48, (x, y) => (level + 7 * i + x + y) % 256);
  }
  const outDir = path.join(tmp.dir, 'run');
  const crop = { cropMargin: '0.21', cropShiftY: '-0.04', cropLevelEyes: String(!FACE_CROP_LEVEL_EYES), cropLevelDeadband: '2.5' };
  expect(Number(crop.cropMargin)).not.toBe(FACE_CROP_MARGIN);
  expect(Number(crop.cropShiftY)).not.toBe(FACE_CROP_SHIFT_Y);
  const config = mergeConfig(CNN_DEFAULTS, [], {
    data,
    dataset: 'image-folder',
    heads: 'classes',
    classTarget: 'majority',
    epochs: '1',
    batchSize: '8',
    outDir,
    ...crop,
  });
  const trained = await trainCnn(config, await openCnnData(config), { resume: false, quiet: true });
  trained.model.dispose();
  const saved = JSON.parse(readFileSync(path.join(bestDir(outDir), 'config.json'), 'utf8')) as {
    inputSize: number;
    cropMargin: number;
    cropShiftY: number;
    cropLevelEyes: boolean;
  };
  expect(runCropSpec(saved)).toMatchObject({ size: 48, margin: 0.21, shiftY: -0.04, levelEyes: !FACE_CROP_LEVEL_EYES, levelDeadband: 2.5 });

  const modelsRoot = path.join(tmp.dir, 'models');
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'training/cli/export.ts', '--cnn', outDir, '--modelsRoot', modelsRoot, '--quantization', 'float32'],
    { cwd: REPO_ROOT },
  );
  const manifestFile = path.join(modelsRoot, 'manifest.json');
  const entry = modelForTask(parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile), 'face-expression');
  expect(entry.input.cropMargin).toBe(0.21);
  expect(entry.input.cropShiftY).toBe(-0.04);
  expect(entry.input.cropLevelEyes).toBe(!FACE_CROP_LEVEL_EYES);
  expect(entry.input.cropLevelDeadband).toBe(2.5);
  expect(entryCropSpec(entry)).toEqual(runCropSpec(saved));
}, 180_000);
