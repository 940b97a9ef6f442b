import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECURRENT_ACTIVATION } from './recurrent.ts';
import { createStreamingGru, measureStreamingError, runWindow, validateGruStack } from './streaming-gru.ts';
import type { GruStackWeights } from './streaming-gru.ts';

/** A seeded generator, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sequence(frames: number, features: number, seed: number): Float32Array[] {
  const rng = lcg(seed);
  let prev = new Float32Array(features).map(() => rng() * 2 - 1);
  // Smoothly varying features, like a face's CNN features over time.
  return Array.from({ length: frames }, () => {
    prev = prev.map((v) => 0.9 * v + 0.3 * (rng() * 2 - 1));
    return prev;
  });
}

/** The tfjs model the exporter produces (GRU layers -> Dense 'va'), built directly with tfjs layers. */
function tfjsGru(units: readonly number[], window: number, features: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [window, features] });
  let x: tf.SymbolicTensor = input;
  units.forEach((u, i) => {
    x = tf.layers
      .gru({
        units: u,
        returnSequences: i < units.length - 1,
        recurrentActivation: RECURRENT_ACTIVATION,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 10 + i }),
        biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 20 + i }),
      })
      .apply(x) as tf.SymbolicTensor;
  });
  const out = tf.layers
    .dense({ units: 2, name: 'va', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 30 }) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function weightsOf(model: tf.LayersModel): GruStackWeights {
  const layers = model.layers.filter((l) => l.getClassName() === 'GRU');
  const dense = model.getLayer('va');
  const vals = (l: tf.layers.Layer) => l.getWeights().map((w) => w.dataSync() as Float32Array);
  return {
    layers: layers.map((l) => {
      const [kernel, recurrentKernel, bias] = vals(l) as [Float32Array, Float32Array, Float32Array];
      const units = Number(l.getConfig().units);
      return { inputSize: kernel.length / (3 * units), units, kernel, recurrentKernel, bias };
    }),
    head: { inputSize: vals(dense)[0]!.length / 2, outputs: 2, kernel: vals(dense)[0]!, bias: vals(dense)[1]! },
  };
}

function predict(model: tf.LayersModel, frames: Float32Array[]): Float32Array {
  const features = frames[0]!.length;
  const flat = new Float32Array(frames.length * features);
  frames.forEach((f, i) => flat.set(f, i * features));
  return tf.tidy(() => (model.predict(tf.tensor3d(flat, [1, frames.length, features])) as tf.Tensor).dataSync() as Float32Array);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runWindow', () => {
  it('equals the tfjs GRU(100) + Dense on a 100 x 300 window', () => {
    const model = tfjsGru([100], 100, 300, 1);
    const frames = sequence(100, 300, 2);
    const expected = predict(model, frames);
    const actual = runWindow(weightsOf(model), frames);
    for (let k = 0; k < 2; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });

  it('equals a stacked tfjs GRU(12)-GRU(12)-GRU(6) model', () => {
    const model = tfjsGru([12, 12, 6], 30, 20, 5);
    const frames = sequence(30, 20, 6);
    const expected = predict(model, frames);
    const actual = runWindow(weightsOf(model), frames);
    for (let k = 0; k < 2; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe('createStreamingGru', () => {
  const model = () => tfjsGru([16], 20, 10, 9);

  it('with one state per frame (K = window) gives the exact rolling-window output at every frame', () => {
    const m = model();
    const w = weightsOf(m);
    const frames = sequence(60, 10, 3);
    const stream = createStreamingGru(w, { window: 20, states: 20 });
    frames.forEach((f, t) => {
      const out = stream.push(f);
      if (t < 19) return;
      const exact = predict(m, frames.slice(t - 19, t + 1));
      for (let k = 0; k < 2; k++) expect(Math.abs(out[k]! - exact[k]!)).toBeLessThanOrEqual(1e-5);
    });
    m.dispose();
  });

  it('reads from the longest-running state, covering window - window/K + 1 .. window frames', () => {
    const w = weightsOf(model());
    const stream = createStreamingGru(w, { window: 20, states: 4 });
    const seen: number[] = [];
    for (const f of sequence(80, 10, 4)) {
      stream.push(f);
      seen.push(stream.coverage);
    }
    expect(seen.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(Math.min(...seen.slice(20))).toBe(16);
    expect(Math.max(...seen.slice(20))).toBe(20);
  });

  it('restarts from nothing after reset()', () => {
    const w = weightsOf(model());
    const frames = sequence(30, 10, 8);
    const a = createStreamingGru(w, { window: 20, states: 5 });
    frames.forEach((f) => a.push(f));
    a.reset();
    const b = createStreamingGru(w, { window: 20, states: 5 });
    expect(Array.from(a.push(frames[0]!))).toEqual(Array.from(b.push(frames[0]!)));
    expect(a.frames).toBe(1);
  });

  it('approximates the exact window better with more states', () => {
    const w = weightsOf(model());
    const frames = sequence(120, 10, 12);
    const errors = [2, 5, 10, 20].map((k) => measureStreamingError(w, frames, 20, k).maxAbs);
    expect(errors[3]).toBeLessThanOrEqual(1e-5);
    expect(errors[0]).toBeGreaterThan(errors[3]!);
    expect(errors[0]).toBeGreaterThanOrEqual(errors[2]!);
  });

  it('rejects a state count that does not divide the window, and mis-shaped weights', () => {
    const w = weightsOf(model());
    expect(() => createStreamingGru(w, { window: 20, states: 3 })).toThrow(/states must divide the window/);
    const bad = { ...w, layers: [{ ...w.layers[0]!, bias: new Float32Array(5) }] };
    expect(() => validateGruStack(bad)).toThrow(/layer 1: bias has 5 values, expected 48/);
  });
});
