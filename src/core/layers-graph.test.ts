import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayersGraph } from './layers-graph.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The model as tfjs-layers saves it: its topology and its weights decoded by name. */
async function saved(model: tfl.LayersModel): Promise<{ topology: unknown; weights: tf.NamedTensorMap }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  // Through JSON, as model.json is read.
  const topology = JSON.parse(JSON.stringify(artifacts!.modelTopology)) as unknown;
  return { topology, weights: tf.io.decodeWeights(artifacts!.weightData!, artifacts!.weightSpecs!) };
}

/** Gives every weight random values (tfjs-layers' batch norm starts as the identity, which would hide mistakes). */
function randomise(model: tfl.LayersModel): void {
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    layer.setWeights(
      ws.map((w, i) => (layer.name.includes('bn') && i >= 2 ? tf.randomUniform(w.shape, 0.5, 2) : tf.randomNormal(w.shape, 0, 0.5))),
    );
  }
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

async function expectSameOutputs(model: tfl.LayersModel, inputShape: number[], inputScale = 1): Promise<void> {
  randomise(model);
  const { topology, weights } = await saved(model);
  const graph = buildLayersGraph(topology, weights);
  const x = tf.randomNormal(inputShape, 0, inputScale);
  const before = tf.memory().numTensors;
  const ours = graph.predict(x);
  const theirs = [model.predict(x)].flat();
  expect(ours).toHaveLength(theirs.length);
  for (const [i, t] of theirs.entries()) expect(maxDiff(ours[i]!, t)).toBeLessThan(1e-4);
  tf.dispose([...ours, ...theirs]);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
  graph.dispose();
  model.dispose();
}

describe('buildLayersGraph', () => {
  it("runs a functional CNN with two heads as tfjs-layers does (the shipped model's kinds of layer)", async () => {
    const image = tfl.input({ shape: [12, 12, 1], name: 'image' });
    let h = tfl.layers.batchNormalization({ name: 'in_bn' }).apply(image) as tfl.SymbolicTensor;
    h = tfl.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.batchNormalization({ name: 'c1_bn' }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU({ name: 'c1_relu' }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.maxPooling2d({ name: 'p1', poolSize: 2 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers
      .conv2d({ name: 'c2', filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' })
      .apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tfl.SymbolicTensor;
    const features = tfl.layers.dense({ name: 'features', units: 5 }).apply(h) as tfl.SymbolicTensor;
    const dropped = tfl.layers.dropout({ name: 'drop', rate: 0.5 }).apply(features) as tfl.SymbolicTensor;
    const classes = tfl.layers.dense({ name: 'classes', units: 3, activation: 'softmax' }).apply(dropped) as tfl.SymbolicTensor;
    const va = tfl.layers.dense({ name: 'va', units: 2, activation: 'tanh' }).apply(dropped) as tfl.SymbolicTensor;
    await expectSameOutputs(tfl.model({ inputs: image, outputs: [features, classes, va] }), [3, 12, 12, 1]);
  });

  it('runs a Sequential model with the other supported layers', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [10, 10, 2], filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' }),
        tfl.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
        tfl.layers.reLU({ maxValue: 0.8 }),
        tfl.layers.activation({ activation: 'sigmoid' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4, activation: 'relu6' }),
      ],
    });
    await expectSameOutputs(model, [2, 10, 10, 2]);
    const pooled = tfl.sequential({
      layers: [tfl.layers.globalMaxPooling2d({ inputShape: [5, 5, 3] }), tfl.layers.dense({ units: 2, useBias: false })],
    });
    await expectSameOutputs(pooled, [2, 5, 5, 3]);
    // Inputs large enough that relu6 clips.
    const clipped = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [6], units: 8, activation: 'relu6' })] });
    await expectSameOutputs(clipped, [4, 6], 40);
  });

  it('names a layer it cannot run, and frees the weights it was given', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 }), tfl.layers.layerNormalization()] });
    const { topology, weights } = await saved(model);
    const before = tf.memory().numTensors;
    expect(() => buildLayersGraph(topology, weights)).toThrow(/is a LayerNormalization, which the app cannot run/);
    expect(tf.memory().numTensors).toBe(before - Object.keys(weights).length);
    model.dispose();
  });

  it('refuses merges, missing weights and foreign topologies with the reason', async () => {
    const a = tfl.input({ shape: [3] });
    const b = tfl.layers.dense({ units: 3, name: 'd' }).apply(a) as tfl.SymbolicTensor;
    const merged = tfl.model({ inputs: a, outputs: tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor });
    const m = await saved(merged);
    expect(() => buildLayersGraph(m.topology, m.weights)).toThrow(/only layers with one input/);
    merged.dispose();

    const dense = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, name: 'd1' })] });
    const d = await saved(dense);
    const kernelOnly = { 'd1/kernel': d.weights['d1/kernel']! };
    d.weights['d1/bias']!.dispose();
    expect(() => buildLayersGraph(d.topology, kernelOnly)).toThrow(/layer d1 has no weight bias/);
    dense.dispose();

    expect(() => buildLayersGraph({ class_name: 'Graph', config: {} }, {})).toThrow(/expected Model or Sequential/);
    expect(() => buildLayersGraph(null, {})).toThrow(/expected Model or Sequential/);
  });
});
