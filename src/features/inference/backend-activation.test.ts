/// <reference types="node" />
/**
 * Backend activation on what Node offers, with the app's backends (expression-backends.ts): the cpu backend on TF.js
 * and wasm on TF.js's kernels called directly run the model; 'webgpu' is not registered here, so it stands for a
 * backend that fails, as one does in a browser without a usable GPU.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { startExpressionRuntime } from './backend-activation.ts';
import type { ActivationEvents } from './backend-activation.ts';
import { appBackends } from './expression-backends.ts';
import { modelFilesOf } from './test-model-files.ts';

/** The folder of TF.js's wasm binaries, as the worker gets it (a URL ending in /). */
const WASM_URL = `${pathToFileURL(path.join(import.meta.dirname, '../../../node_modules/@tensorflow/tfjs-backend-wasm/wasm-out')).href}/`;
const runner = appBackends(WASM_URL);

function tinyCnn(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const features = tf.layers.dense({ units: 3, name: 'features' }).apply(flat) as tf.SymbolicTensor;
  const classes = tf.layers.dense({ units: EMOTIONS.length, activation: 'softmax', name: 'classes' }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [features, classes] });
}

const ENTRY = {
  name: 'expression-cnn',
  version: 'test',
  task: 'face-expression' as const,
  input: { shape: [4, 4, 1], channelOrder: 'gray' as const, normalisation: { scale: 1 / 255, offset: 0 }, cropMargin: 0.1, cropShiftY: 0 },
  outputs: [
    { name: 'features', size: 3, meaning: 'features' },
    { name: 'classes', size: EMOTIONS.length, meaning: 'softmax over labels', labels: [...EMOTIONS] },
  ],
  provenance: { data: 'test', licence: 'test' },
};

let source: tf.LayersModel;
let model: { entry: ModelEntry; files: Map<string, Uint8Array> };

function recorder() {
  const seen: string[] = [];
  const events: ActivationEvents = {
    progress: (stage) => seen.push(stage),
    backendChanged: (b) => seen.push(`changed ${b.backend}`),
    recoveryFailed: (m) => seen.push(`failed ${m}`),
  };
  return { seen, events };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  source = tinyCnn();
  model = await modelFilesOf(source, ENTRY);
});

afterAll(() => source.dispose());

describe('startExpressionRuntime', () => {
  it('loads and warms the model on the chosen backend, keeping the reason it was chosen', async () => {
    const { seen, events } = recorder();
    const before = tf.memory().numTensors;
    const runtime = await startExpressionRuntime({
      ...model,
      runner,
      choice: { backend: 'cpu', reason: 'plain JavaScript (slowest)', fallbacks: [] },
      events,
    });
    expect(runtime.backend).toEqual({ backend: 'cpu', reason: 'plain JavaScript (slowest)' });
    expect(seen).toEqual(['expression-model', 'warm-up']);
    const out = await (await runtime.model())!.predict(new Float32Array(16).fill(0.5));
    expect(out.probs).toHaveLength(EMOTIONS.length);
    runtime.dispose();
    expect(await runtime.model()).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('falls back in order and says which backend failed and why', async () => {
    const { events } = recorder();
    const runtime = await startExpressionRuntime({
      ...model,
      runner,
      choice: { backend: 'webgpu', reason: 'WebGPU on hardware', fallbacks: ['cpu'] },
      events,
    });
    expect(runtime.backend.backend).toBe('cpu');
    expect(runtime.backend.reason).toMatch(/^webgpu failed \(.+\): using cpu$/);
    runtime.dispose();
  });

  it("loads a backend's code only when it is tried, and a backend whose code cannot load falls through to the next", async () => {
    const { events } = recorder();
    const loaded: string[] = [];
    const runtime = await startExpressionRuntime({
      ...model,
      choice: { backend: 'webgl', reason: 'WebGL on hardware', fallbacks: ['cpu', 'wasm'] },
      runner: appBackends(WASM_URL, async (name) => {
        loaded.push(name);
        if (name === 'webgl') throw new Error('chunk failed to load');
      }),
      events,
    });
    expect(loaded).toEqual(['webgl', 'cpu']);
    expect(runtime.backend).toEqual({ backend: 'cpu', reason: 'webgl failed (chunk failed to load): using cpu' });
    runtime.dispose();
  });

  it("runs wasm on TF.js's kernels called directly, with the outputs of TF.js, loading no TF.js backend's code", async () => {
    const { seen, events } = recorder();
    const loaded: string[] = [];
    const runtime = await startExpressionRuntime({
      ...model,
      choice: { backend: 'wasm', reason: 'WebAssembly (SIMD)', fallbacks: ['cpu'] },
      runner: appBackends(WASM_URL, async (name) => {
        loaded.push(name);
      }),
      events,
    });
    expect(runtime.backend).toEqual({ backend: 'wasm', reason: 'WebAssembly (SIMD)' });
    expect(seen).toEqual(['expression-model', 'warm-up']);
    expect(loaded).toEqual([]);
    const input = new Float32Array(16).map((_, i) => i / 16);
    const out = await (await runtime.model())!.predict(input);
    const expected = tf.tidy(() => (source.predict(tf.tensor4d(input, [1, 4, 4, 1])) as tf.Tensor[]).map((t) => t.dataSync()));
    out.features.forEach((v, i) => expect(v).toBeCloseTo(expected[0]![i]!, 5));
    out.probs.forEach((v, i) => expect(v).toBeCloseTo(expected[1]![i]!, 5));
    runtime.dispose();
  });

  it('names a wasm binary that cannot start, and falls back to the next backend', async () => {
    const { events } = recorder();
    const runtime = await startExpressionRuntime({
      ...model,
      choice: { backend: 'wasm', reason: 'WebAssembly (SIMD)', fallbacks: ['cpu'] },
      runner: appBackends(pathToFileURL(path.join(import.meta.dirname, 'no-such-folder/')).href),
      events,
    });
    expect(runtime.backend.backend).toBe('cpu');
    expect(runtime.backend.reason).toMatch(/^wasm could not start \(.*no-such-folder\/tfjs-backend-wasm-simd\.wasm .+\): using cpu$/);
    runtime.dispose();
  });

  it('asks for lazily ordered fallbacks only when the first backend fails', async () => {
    const { events } = recorder();
    let asked = 0;
    const fallbacks = () => {
      asked++;
      return Promise.resolve(['cpu'] as const);
    };
    const works = await startExpressionRuntime({ ...model, runner, choice: { backend: 'cpu', reason: 'asked for', fallbacks }, events });
    expect(asked).toBe(0);
    expect(works.backend).toEqual({ backend: 'cpu', reason: 'asked for' });
    works.dispose();
    const fails = await startExpressionRuntime({ ...model, runner, choice: { backend: 'webgpu', reason: 'asked for', fallbacks }, events });
    expect(asked).toBe(1);
    expect(fails.backend.backend).toBe('cpu');
    expect(fails.backend.reason).toMatch(/^webgpu failed \(.+\): using cpu$/);
    fails.dispose();
  });

  it('names every failure when no backend can run the model', async () => {
    const { events } = recorder();
    const broken = { ...model, entry: { ...model.entry, input: { ...model.entry.input, shape: [4, 4, 3] } } };
    await expect(
      startExpressionRuntime({ ...broken, runner, choice: { backend: 'webgpu', reason: '', fallbacks: ['cpu'] }, events }),
    ).rejects.toThrow(/^no backend could run the expression model: webgpu failed \(.+\); cpu failed \(.+\)$/);
  });
});
