/// <reference types="node" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBlazefaceDetector } from '../../core/blazeface-detector.ts';
import { buildLayersGraph } from '../../core/layers-graph.ts';
import { loadExpressionModel } from './expression-model.ts';
import { savedArtifacts, SHIPPED_MODELS, shippedEntry, shippedModelFiles } from './test-model-files.ts';
import { WASM_KERNELS } from './wasm-kernels.ts';

const registered = new Set(WASM_KERNELS.map((k) => k.kernelName));

/** The kernels `run` asks the engine for (every op reaches its backend through engine.runKernel). */
async function kernelsOf(run: () => Promise<unknown> | unknown): Promise<string[]> {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  const used = new Set<string>();
  engine.runKernel = ((name: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => {
    used.add(name);
    return original(name, inputs, attrs);
  }) as typeof engine.runKernel;
  try {
    const out = await run();
    if (out instanceof tf.Tensor || Array.isArray(out)) tf.dispose(out as tf.Tensor | tf.Tensor[]);
  } finally {
    engine.runKernel = original;
  }
  return [...used];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the wasm kernels the workers register', () => {
  it('cover every kernel the shipped face detector runs', async () => {
    const e = shippedEntry('face-detection')!;
    const detector = createBlazefaceDetector(new Uint8Array(readFileSync(path.join(SHIPPED_MODELS, e.entry))), e.entry);
    const image = { data: new Uint8ClampedArray(640 * 480 * 4).fill(128), width: 640, height: 480, channels: 4 as const };
    const used = await kernelsOf(() => detector.detect(image));
    detector.dispose();
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((k) => !registered.has(k))).toEqual([]);
  });

  it('cover every kernel the shipped expression CNN runs, mirror averaging included', async () => {
    const e = shippedEntry('face-expression')!;
    const model = await loadExpressionModel(e, await shippedModelFiles(e));
    const size = e.input.shape[0]!;
    const used = await kernelsOf(() => model.predict(new Float32Array(size * size).fill(0.3)));
    model.dispose();
    expect(used).toContain('Conv2D');
    expect(used.filter((k) => !registered.has(k))).toEqual([]);
  });

  it('cover every kernel of every layer kind the layers runner supports', async () => {
    const input = tf.input({ shape: [8, 8, 2] });
    let h = tf.layers.batchNormalization().apply(input) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'elu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ maxValue: 2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.activation({ activation: 'selu' }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.averagePooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
    const gmp = tf.layers.globalMaxPooling2d({}).apply(h) as tf.SymbolicTensor;
    const flat = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    const outs = [
      tf.layers.dense({ units: 3, activation: 'relu6' }).apply(gap) as tf.SymbolicTensor,
      tf.layers.dense({ units: 3, activation: 'sigmoid' }).apply(gmp) as tf.SymbolicTensor,
      tf.layers.dense({ units: 3, activation: 'tanh' }).apply(flat) as tf.SymbolicTensor,
      tf.layers.dense({ units: 3, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor,
      tf.layers.dense({ units: 3, activation: 'relu' }).apply(flat) as tf.SymbolicTensor,
    ];
    const model = tf.model({ inputs: input, outputs: outs });
    const artifacts = await savedArtifacts(model);
    const graph = buildLayersGraph(artifacts.modelTopology, tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!));
    const x = tf.randomNormal([1, 8, 8, 2]);
    const used = await kernelsOf(() => graph.predict(x));
    x.dispose();
    graph.dispose();
    model.dispose();
    expect(used.filter((k) => !registered.has(k))).toEqual([]);
  });
});
