/**
 * Smoke runs on the real datasets in ../shared: each model type trains a few steps through the same code
 * paths as the CLIs (loaders, preprocessing, augmentation, the epoch loop, checkpoints), and the two-stage
 * method runs end to end (CNN -> features of CK+ frames found by the app's detector -> RNN).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { selectBackend } from './backend/select.ts';
import { CNN_DEFAULTS, RNN_DEFAULTS, mergeConfig, type CnnConfig, type RnnConfig } from './config/config.ts';
import { makeTempDir } from './data/fixtures.ts';
import { openCnnData } from './data/open-cnn-data.ts';
import { trainCnn } from './loops/train-cnn.ts';
import { bestDir, loadModelFrom } from './loops/checkpoint.ts';
import { featureExtractor } from './models/heads.ts';
import { buildRnnData } from './data/rnn-data.ts';
import { trainRnn } from './loops/train-rnn.ts';
import { attachFaceBoxes } from './face/box-cache.ts';

const shared = path.resolve(import.meta.dirname, '../../shared');
const hasShared = existsSync(path.join(shared, 'datasets/ferplus')) && existsSync(path.join(shared, 'datasets/ckplus-sequences'));
const tmp = makeTempDir('smoke');
afterAll(tmp.cleanup);

describe.skipIf(!hasShared)('smoke runs on real data (../shared)', () => {
  if (!hasShared) console.warn(`skipped: ${shared}/datasets not found`);
  beforeAll(async () => {
    await selectBackend('wasm', { log: () => undefined });
  });
  const cnnRun = path.join(tmp.dir, 'cnn-efficient');

  test.each([
    ['efficient', 48, cnnRun],
    ['paper', 48, path.join(tmp.dir, 'cnn-paper')],
  ] as const)('%s CNN at %ipx trains an epoch of 64 FER+ images and keeps a best model', async (model, inputSize, outDir) => {
    const config = mergeConfig(CNN_DEFAULTS, [], {
      model,
      inputSize: String(inputSize),
      data: path.join(shared, 'datasets/ferplus'),
      epochs: '1',
      batchSize: '32',
      limitTrain: '64',
      limitVal: '64',
      outDir,
    });
    const r = await trainCnn(config, await openCnnData(config), { resume: false, quiet: true });
    expect(r.state.epoch).toBe(1);
    expect(r.state.step).toBe(2);
    expect(Number.isFinite(r.state.history[0]?.trainLoss)).toBe(true);
    expect(existsSync(path.join(bestDir(outDir), 'model.json'))).toBe(true);
    r.model.dispose();
  });

  // Features depend on the CNN only: extracted once, shared by the three recurrent models.
  let featureData: Promise<Awaited<ReturnType<typeof buildRnnData>>> | undefined;
  test.each(['simple', 'gru', 'gru3'] as const)(
    'two-stage: %s RNN on CK+ features (faces by the app detector) plus synthetic clips',
    async (kind) => {
      const config: RnnConfig = mergeConfig(RNN_DEFAULTS, [], {
        kind,
        cnn: cnnRun,
        data: path.join(shared, 'datasets/ckplus-sequences'),
        stills: path.join(shared, 'datasets/ferplus'),
        syntheticSequences: '2',
        syntheticLength: '110',
        windowsPerEpoch: '32',
        batchSize: '16',
        epochs: '1',
        outDir: path.join(tmp.dir, `rnn-${kind}`),
      });
      featureData ??= loadModelFrom(bestDir(cnnRun)).then((cnn) =>
        buildRnnData(
          config,
          { model: featureExtractor(cnn), mirrorAverage: config.mirrorAverage },
          JSON.parse(readFileSync(path.join(bestDir(cnnRun), 'config.json'), 'utf8')) as CnnConfig,
          async (ds) => ({ withoutFace: (await attachFaceBoxes(ds)).noFace.length }),
          true,
        ),
      );
      const data = await featureData;
      expect(data.val.length).toBeGreaterThan(0);
      expect(data.train.length).toBe(40 - data.val.length + 2);
      const r = await trainRnn(config, data, { resume: false, quiet: true });
      expect(r.state.step).toBe(2);
      expect(Number.isFinite(r.state.history[0]?.val.cccValence)).toBe(true);
      r.model.dispose();
    },
  );
});
