/// <reference types="node" />
/**
 * The direct wasm runner against the TF.js runner (layers-graph.ts) on TF.js's own wasm backend, the same binary: the
 * same kernels on the same numbers, so the outputs are equal to the last bit; and against tfjs-layers itself on the cpu
 * backend, within the TF.js runner's own tolerance (layers-graph.test.ts).
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLayersGraph } from './layers-graph.ts';
import { decodeWeightArrays } from './layers-weights.ts';
import type { WeightSpec } from './layers-weights.ts';
import { createLayersWasmModel } from './layers-wasm-run.ts';
import { startWasmKernels } from './wasm-kernel-calls.ts';
import type { WasmKernels } from './wasm-kernel-calls.ts';

const WASM_OUT = path.join(import.meta.dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/wasm-out');
/** The wasm backend's binary in Node (it takes the SIMD build where the runtime has SIMD, as Node does). */
const BINARY = 'tfjs-backend-wasm-simd.wasm';

let kernels: WasmKernels;

beforeAll(async () => {
  // In Node the binary is read from disk: the prefix is a file path.
  setWasmPaths(`${WASM_OUT}/`);
  kernels = await startWasmKernels(path.join(WASM_OUT, BINARY));
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Gives every weight random values (tfjs-layers' batch norm starts as the identity, which would hide mistakes). */
function randomise(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const variance = (i: number) => layer.getClassName() === 'BatchNormalization' && i === ws.length - 1;
    layer.setWeights(ws.map((w, i) => (variance(i) ? tf.randomUniform(w.shape, 0.5, 2) : tf.randomNormal(w.shape, 0, 0.5))));
  }
}

async function saved(model: tf.LayersModel): Promise<{ topology: unknown; data: Uint8Array; specs: WeightSpec[] }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData!));
  return { topology: JSON.parse(JSON.stringify(artifacts!.modelTopology)) as unknown, data, specs: artifacts!.weightSpecs! };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The three runners on one random batch: direct wasm, the TF.js runner on TF.js's wasm backend, tfjs-layers on cpu. */
async function compare(model: tf.LayersModel, inputShape: number[], inputScale = 1): Promise<{ toTfjsWasm: number; toLayers: number }> {
  randomise(model);
  const { topology, data, specs } = await saved(model);
  const input = tf.randomNormal(inputShape, 0, inputScale).dataSync() as Float32Array;

  await tf.setBackend('cpu');
  const layers = [model.predict(tf.tensor(input, inputShape))].flat().map((t) => t.dataSync() as Float32Array);

  expect(await tf.setBackend('wasm')).toBe(true);
  const graph = buildLayersGraph(topology, tf.io.decodeWeights(data.slice().buffer, specs as tf.io.WeightsManifestEntry[]));
  const x = tf.tensor(input, inputShape);
  const outs = graph.predict(x);
  const tfjsWasm = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose([x, ...outs]);
  graph.dispose();

  const direct = createLayersWasmModel(topology, decodeWeightArrays(data, specs), kernels, inputShape);
  const ours = direct.run(input);
  // A second run on the same input gives the same outputs: nothing is left over from the first.
  direct.run(tf.randomNormal(inputShape).dataSync() as Float32Array);
  direct.run(input).forEach((o, i) => expect(o).toEqual(ours[i]));
  direct.dispose();
  model.dispose();

  expect(ours).toHaveLength(layers.length);
  let toTfjsWasm = 0;
  let toLayers = 0;
  ours.forEach((o, i) => {
    toTfjsWasm = Math.max(toTfjsWasm, maxAbsDiff(o, tfjsWasm[i]!));
    toLayers = Math.max(toLayers, maxAbsDiff(o, layers[i]!));
  });
  return { toTfjsWasm, toLayers };
}

describe('createLayersWasmModel', () => {
  it("runs the shipped model's kinds of layer (a functional CNN with two heads, batch of two) as TF.js does", async () => {
    const image = tf.input({ shape: [12, 12, 1], name: 'image' });
    let h = tf.layers.batchNormalization({ name: 'in_bn' }).apply(image) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization({ name: 'c1_bn' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: 'c1_relu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers
      .conv2d({ name: 'c2', filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' })
      .apply(h) as tf.SymbolicTensor;
    h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
    const features = tf.layers.dense({ name: 'features', units: 5 }).apply(h) as tf.SymbolicTensor;
    const dropped = tf.layers.dropout({ name: 'drop', rate: 0.5 }).apply(features) as tf.SymbolicTensor;
    const classes = tf.layers.dense({ name: 'classes', units: 3, activation: 'softmax' }).apply(dropped) as tf.SymbolicTensor;
    const va = tf.layers.dense({ name: 'va', units: 2, activation: 'tanh' }).apply(dropped) as tf.SymbolicTensor;
    const { toTfjsWasm, toLayers } = await compare(tf.model({ inputs: image, outputs: [features, classes, va] }), [2, 12, 12, 1]);
    expect(toTfjsWasm).toBe(0);
    expect(toLayers).toBeLessThan(1e-4);
  });

  it('runs every other supported layer and activation as TF.js does, at batch sizes one and three', async () => {
    const sequential = (): tf.LayersModel =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'elu' }),
          tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
          tf.layers.reLU({ maxValue: 0.8 }),
          tf.layers.activation({ activation: 'sigmoid' }),
          tf.layers.conv2d({ filters: 4, kernelSize: 2, padding: 'valid', activation: 'selu' }),
          tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4, activation: 'relu6' }),
        ],
      });
    for (const batch of [1, 3]) {
      const { toTfjsWasm, toLayers } = await compare(sequential(), [batch, 10, 10, 2]);
      expect(toTfjsWasm).toBe(0);
      expect(toLayers).toBeLessThan(1e-4);
    }
    const pooled = tf.sequential({
      layers: [tf.layers.globalMaxPooling2d({ inputShape: [5, 5, 3] }), tf.layers.dense({ units: 2, useBias: false })],
    });
    const maxed = await compare(pooled, [2, 5, 5, 3]);
    expect(maxed.toTfjsWasm).toBe(0);
    // Inputs large enough that relu6 clips.
    const clipped = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu6' })] });
    expect((await compare(clipped, [4, 6], 40)).toTfjsWasm).toBe(0);
  });

  it('refuses a layer it cannot run, weights that do not fit their input, and frees what it allocated', async () => {
    const allocationsBefore = kernels.allocations();
    const norm = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.layerNormalization()] });
    const a = await saved(norm);
    expect(() => createLayersWasmModel(a.topology, decodeWeightArrays(a.data, a.specs), kernels, [1, 4])).toThrow(
      /is a LayerNormalization, which the app cannot run/,
    );
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'd1' })] });
    const d = await saved(dense);
    expect(() => createLayersWasmModel(d.topology, decodeWeightArrays(d.data, d.specs), kernels, [1, 5])).toThrow(
      'layer d1: weight kernel is [4, 3]; its input needs [5, 3]',
    );
    const model = createLayersWasmModel(d.topology, decodeWeightArrays(d.data, d.specs), kernels, [2, 4]);
    expect(() => model.run(new Float32Array(3))).toThrow('input of 3 values, expected 8');
    model.dispose();
    expect(() => model.run(new Float32Array(8))).toThrow('disposed');
    // Builds and disposals, failed ones included, leave nothing allocated.
    for (let i = 0; i < 20; i++) createLayersWasmModel(d.topology, decodeWeightArrays(d.data, d.specs), kernels, [2, 4]).dispose();
    expect(kernels.allocations()).toBe(allocationsBefore);
    norm.dispose();
    dense.dispose();
  });
});
