import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { CNN_DEFAULTS, learningRateAt, mergeConfig, type CnnConfig } from '../config/config.ts';
import { makeTempDir } from '../data/fixtures.ts';
import { writeFerFixture } from '../testing/fer-fixture.ts';
import { openCnnData } from '../data/open-cnn-data.ts';
import { trainCnn } from './train-cnn.ts';
import { bestDir, checkpointDir, loadModelFrom } from './checkpoint.ts';

const tmp = makeTempDir('loop');
afterAll(tmp.cleanup);

function configFor(outDir: string, epochs: number): CnnConfig {
  return mergeConfig(CNN_DEFAULTS, [], {
    data: path.join(tmp.dir, 'fer'),
    inputSize: '32',
    batchSize: '16',
    epochs: String(epochs),
    outDir,
    seed: '5',
  });
}

async function weightsOf(dir: string): Promise<Float32Array[]> {
  const model = await loadModelFrom(dir);
  const values = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  return values;
}

describe('training loop', () => {
  beforeAll(async () => {
    writeFerFixture(path.join(tmp.dir, 'fer'), 48);
    await selectBackend('wasm', { log: () => undefined });
  });

  test('a run killed after epoch 1 and resumed ends in exactly the state of an uninterrupted run', async () => {
    const straight = path.join(tmp.dir, 'straight');
    const resumed = path.join(tmp.dir, 'resumed');
    const a = configFor(straight, 2);
    await trainCnn(a, await openCnnData(a), { resume: false, quiet: true });

    const b = configFor(resumed, 2);
    const first = await trainCnn(b, await openCnnData(b), { resume: false, quiet: true, stopAfterEpochs: 1 });
    expect(first.state.epoch).toBe(1);
    first.model.dispose();
    const second = await trainCnn(b, await openCnnData(b), { resume: true, quiet: true });
    expect(second.state.epoch).toBe(2);

    const wa = await weightsOf(checkpointDir(straight));
    const wb = await weightsOf(checkpointDir(resumed));
    expect(wb.length).toBe(wa.length);
    let maxDiff = 0;
    wa.forEach((w, i) => w.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - (wb[i]?.[j] ?? NaN))))));
    expect(maxDiff).toBe(0);
    const stateA = JSON.parse(await readFile(path.join(checkpointDir(straight), 'state.json'), 'utf8')) as {
      step: number;
      history: { trainLoss: number }[];
    };
    const stateB = JSON.parse(await readFile(path.join(checkpointDir(resumed), 'state.json'), 'utf8')) as {
      step: number;
      history: { trainLoss: number }[];
    };
    expect(stateB.step).toBe(stateA.step);
    expect(stateB.history.map((h) => h.trainLoss)).toEqual(stateA.history.map((h) => h.trainLoss));
  });

  test("--keep last: best/ holds the last epoch's model whatever validation said; an unknown value is refused", async () => {
    const outDir = path.join(tmp.dir, 'keep-last');
    const c = { ...configFor(outDir, 3), keep: 'last' as const };
    const r = await trainCnn(c, await openCnnData(c), { resume: false, quiet: true });
    r.model.dispose();
    expect(r.state.bestEpoch).toBe(3);
    const best = await weightsOf(bestDir(outDir));
    const last = await weightsOf(checkpointDir(outDir));
    expect(best.map((w) => Array.from(w))).toEqual(last.map((w) => Array.from(w)));
    const bad = { ...configFor(path.join(tmp.dir, 'keep-bad'), 1), keep: 'first' as unknown as 'last' };
    await expect(trainCnn(bad, await openCnnData(bad), { resume: false, quiet: true })).rejects.toThrow(/--keep must be best or last/);
  });

  test('the cosine schedule follows the share of the run done, and falls to near 0 by its last batch', async () => {
    const c = { ...configFor(path.join(tmp.dir, 'cosine'), 2), augment: false };
    c.optim = { ...c.optim, schedule: 'cosine' };
    const r = await trainCnn(c, await openCnnData(c), { resume: false, quiet: true });
    r.model.dispose();
    // 48 training images in batches of 16: each epoch's recorded rate is its third batch's, 32 images in.
    const lrs = r.state.history.map((h) => h.lr);
    expect(lrs).toHaveLength(2);
    expect(lrs[0]).toBeCloseTo(learningRateAt(c.optim, 2, (0 + 32 / 48) / 2), 9);
    expect(lrs[1]).toBeCloseTo(learningRateAt(c.optim, 5, (1 + 32 / 48) / 2), 9);
    expect(lrs[0]! / c.optim.lr).toBeCloseTo(0.75, 3);
    expect(lrs[1]! / c.optim.lr).toBeLessThan(0.07);
  });

  test('writes metrics.jsonl, curves.svg and a best model; the model learns the fixture', async () => {
    const dir = path.join(tmp.dir, 'learn');
    const c = configFor(dir, 6);
    c.augment = false;
    c.optim.lr = 0.02;
    // A one-epoch warm-up run first: tfjs-layers caches constant scalars on first use, which is not a leak.
    const warm = await trainCnn({ ...c, epochs: 1, outDir: path.join(tmp.dir, 'warm') }, await openCnnData(c), {
      resume: false,
      quiet: true,
    });
    warm.model.dispose();
    const before = tf.memory().numTensors;
    const r = await trainCnn(c, await openCnnData(c), { resume: false, quiet: true });
    r.model.dispose();
    // At most one tensor per run stays behind inside tfjs-layers' compile(); nothing grows with epochs.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1);
    const lines = (await readFile(path.join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    const svg = await readFile(path.join(dir, 'curves.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('val accuracy');
    const best = JSON.parse(await readFile(path.join(bestDir(dir), 'state.json'), 'utf8')) as { bestMetric: number };
    // Four classes: chance is 0.25. The bands are easy; a working loop gets well above chance.
    expect(r.state.history.at(-1)?.val.accuracy ?? 0).toBeGreaterThan(0.6);
    expect(best.bestMetric).toBeGreaterThan(0);
  });
});
