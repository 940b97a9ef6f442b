import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CNN_DEFAULTS, mergeConfig, type CnnConfig } from '../config/config.ts';
import { makeTempDir } from '../data/fixtures.ts';
import { writeFerFixture } from '../testing/fer-fixture.ts';
import { describeWithTfjsNode, tfjsNodeUnavailable } from '../testing/tfjs-node.ts';
import * as tf from '../backend/tf.ts';
import { openCnnData } from '../data/open-cnn-data.ts';
import { trainCnn } from './train-cnn.ts';
import { checkpointDir, loadModelFrom } from './checkpoint.ts';

const unavailable = await tfjsNodeUnavailable();
const tmp = makeTempDir('loop-tfjs-node');
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
  const values = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return values;
}

describeWithTfjsNode('training loop on tfjs-node', unavailable, () => {
  beforeAll(() => writeFerFixture(path.join(tmp.dir, 'fer'), 48));

  test('a run killed after epoch 1 and resumed ends with the weights of an uninterrupted run', async () => {
    expect(tf.getBackend()).toBe('tensorflow');
    const straight = path.join(tmp.dir, 'straight');
    const resumed = path.join(tmp.dir, 'resumed');
    const a = configFor(straight, 2);
    (await trainCnn(a, await openCnnData(a), { resume: false, quiet: true })).model.dispose();
    const b = configFor(resumed, 2);
    const first = await trainCnn(b, await openCnnData(b), { resume: false, quiet: true, stopAfterEpochs: 1 });
    first.model.dispose();
    const second = await trainCnn(b, await openCnnData(b), { resume: true, quiet: true });
    second.model.dispose();
    expect(second.state.epoch).toBe(2);
    const [wa, wb] = [await weightsOf(checkpointDir(straight)), await weightsOf(checkpointDir(resumed))];
    expect(wb.length).toBe(wa.length);
    let maxDiff = 0;
    wa.forEach((w, i) => w.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - (wb[i]?.[j] ?? NaN))))));
    expect(maxDiff).toBe(0);
  });
});
