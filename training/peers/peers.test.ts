import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { readImage } from '../data/decode.ts';
import { loadFaceApiExpression } from './face-api-expression.ts';
import { loadHumanEmotion } from './human-emotion.ts';
import { loadOurCnn } from './our-cnn.ts';
import { FACE_API_PACKAGE, HUMAN_PACKAGE } from './packages.ts';
import type { EmotionClassifier } from './types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const ckHappy = path.join(shared, 'datasets/ckplus48/CK+48/happy/S010_006_00000013.png');
const ckSurprise = path.join(shared, 'datasets/ckplus48/CK+48/surprise/S010_002_00000014.png');
const ferTest = path.join(shared, 'datasets/ferplus/data/FER2013Test/fer0032220.png');
const images = [ckHappy, ckSurprise, ferTest];
const haveImages = images.every((f) => existsSync(f));
const havePeers = [FACE_API_PACKAGE, HUMAN_PACKAGE].every((p) => existsSync(path.join(repoRoot, 'node_modules', p, 'package.json')));
const haveModel = existsSync(path.join(repoRoot, 'public/models/manifest.json'));
const why = !haveImages
  ? `needs ${images.join(', ')} (../shared)`
  : !havePeers
    ? `needs ${FACE_API_PACKAGE} and ${HUMAN_PACKAGE} (npm install)`
    : 'needs public/models/manifest.json';

describe.skipIf(!haveImages || !havePeers || !haveModel)(`peer models on real images (${why})`, () => {
  const models: EmotionClassifier[] = [];

  beforeAll(async () => {
    await selectBackend('wasm', { log: () => undefined });
    models.push(
      await loadOurCnn(path.join(repoRoot, 'public/models')),
      await loadFaceApiExpression(repoRoot),
      await loadHumanEmotion(repoRoot),
    );
  });

  afterAll(() => {
    for (const m of models) m.dispose();
  });

  test('every model answers a distribution over its labels and calls a clear CK+ smile happy', async () => {
    const image = await readImage(ckHappy);
    for (const m of models) {
      const probs = m.classify(image);
      expect(probs.length, m.name).toBe(m.labels.length);
      expect(
        probs.reduce((s, p) => s + p, 0),
        m.name,
      ).toBeCloseTo(1, 4);
      expect(m.labels[probs.indexOf(Math.max(...probs))], m.name).toBe('happy');
    }
  });

  test('classifying leaves no tensor behind', async () => {
    const image = await readImage(ferTest);
    for (const m of models) m.classify(image);
    const before = tf.memory().numTensors;
    for (const m of models) m.classify(image);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("the face-api forward pass matches face-api's own bundle", async () => {
    const faceApi = models.find((m) => m.name === 'face-api');
    if (!faceApi) throw new Error('face-api model not loaded');
    // The package's bundle runs in a child process: one tfjs per process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'training/peers/face-api-reference.ts'), ...images],
      { cwd: repoRoot },
    );
    const reference = (JSON.parse(stdout) as { probabilities: number[][] }).probabilities;
    expect(reference).toHaveLength(images.length);
    for (const [i, file] of images.entries()) {
      const ours = faceApi.classify(await readImage(file));
      const theirs = reference[i] ?? [];
      expect(theirs).toHaveLength(ours.length);
      const diff = Math.max(...Array.from(ours, (p, j) => Math.abs(p - (theirs[j] ?? NaN))));
      expect(diff, file).toBeLessThan(1e-4);
    }
  });
});
