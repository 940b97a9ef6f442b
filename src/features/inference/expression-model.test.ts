import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import { loadExpressionModel } from './expression-model.ts';
import { modelFilesOf } from './test-model-files.ts';

/** A small model with the exported CNN's outputs: features, classes (softmax), va. */
function tinyCnn(withVa: boolean): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 1] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(conv) as tf.SymbolicTensor;
  const features = tf.layers.dense({ units: 6, name: 'features' }).apply(flat) as tf.SymbolicTensor;
  const classes = tf.layers.dense({ units: EMOTIONS.length, activation: 'softmax', name: 'classes' }).apply(features) as tf.SymbolicTensor;
  const outputs = [features, classes];
  if (withVa) outputs.push(tf.layers.dense({ units: 2, name: 'va' }).apply(features) as tf.SymbolicTensor);
  return tf.model({ inputs: input, outputs });
}

const outputs = (withVa: boolean) => [
  { name: 'features', size: 6, meaning: 'features' },
  { name: 'classes', size: EMOTIONS.length, meaning: 'softmax over labels', labels: [...EMOTIONS] },
  ...(withVa ? [{ name: 'va', size: 2, meaning: 'valence, arousal' }] : []),
];

const entry = (withVa: boolean) => ({
  name: 'expression-cnn',
  version: 'test',
  task: 'face-expression' as const,
  input: { shape: [8, 8, 1], channelOrder: 'gray' as const, normalisation: { scale: 1 / 255, offset: 0 }, cropMargin: 0.1 },
  outputs: outputs(withVa),
  provenance: { data: 'test', licence: 'test' },
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('loadExpressionModel', () => {
  it('returns the model outputs by name and leaks no tensor', async () => {
    const source = tinyCnn(true);
    const { entry: e, files } = await modelFilesOf(source, entry(true));
    const model = await loadExpressionModel(e, files);
    const input = new Float32Array(64).map((_, i) => (i % 9) / 9);
    const expected = tf.tidy(() => (source.predict(tf.tensor4d(input, [1, 8, 8, 1])) as tf.Tensor[]).map((t) => Array.from(t.dataSync())));
    const before = tf.memory().numTensors;
    const out = await model.predict(input);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(out.features)).toEqual(expected[0]);
    expect(Array.from(out.probs)).toEqual(expected[1]);
    expect([out.va.valence, out.va.arousal]).toEqual(expected[2]);
    model.dispose();
    source.dispose();
  });

  it('with input.mirrorAverage, every output is the mean over the face and its mirror image', async () => {
    const source = tinyCnn(true);
    const plainEntry = entry(true);
    const { entry: e, files } = await modelFilesOf(source, { ...plainEntry, input: { ...plainEntry.input, mirrorAverage: true } });
    const model = await loadExpressionModel(e, files);
    const input = new Float32Array(64).map((_, i) => ((i * 7) % 11) / 11);
    const mirrored = new Float32Array(64).map((_, i) => input[8 * Math.floor(i / 8) + 7 - (i % 8)]!);
    const run = (x: Float32Array) => tf.tidy(() => (source.predict(tf.tensor4d(x, [1, 8, 8, 1])) as tf.Tensor[]).map((t) => Array.from(t.dataSync())));
    const [a, b] = [run(input), run(mirrored)];
    const before = tf.memory().numTensors;
    const out = await model.predict(input);
    expect(tf.memory().numTensors).toBe(before);
    const got = [Array.from(out.features), Array.from(out.probs), [out.va.valence, out.va.arousal]];
    got.forEach((values, k) => values.forEach((v, i) => expect(v).toBeCloseTo(((a[k]![i] ?? NaN) + (b[k]![i] ?? NaN)) / 2, 5)));
    // The tiny model is not mirror-symmetric: the plain output differs.
    expect(Math.max(...got[1]!.map((v, i) => Math.abs(v - (a[1]![i] ?? 0))))).toBeGreaterThan(1e-4);
    model.dispose();
    source.dispose();
  });

  it('derives valence/arousal from the class probabilities when the model has no va head', async () => {
    const source = tinyCnn(false);
    const { entry: e, files } = await modelFilesOf(source, entry(false));
    const model = await loadExpressionModel(e, files);
    const out = await model.predict(new Float32Array(64).fill(0.5));
    expect(Number.isFinite(out.va.valence) && Number.isFinite(out.va.arousal)).toBe(true);
    model.dispose();
    source.dispose();
  });

  it('names the file when a weight file is missing', async () => {
    const source = tinyCnn(true);
    const { entry: e, files } = await modelFilesOf(source, entry(true));
    files.delete('expression-cnn/weights.bin');
    await expect(loadExpressionModel(e, files)).rejects.toThrow(/expression-cnn\/weights.bin: is missing/);
    source.dispose();
  });
});
