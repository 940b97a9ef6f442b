/**
 * The frame pipeline with the real expression-model path (a small layers model saved and loaded the way the app
 * loads the shipped one, on the tfjs cpu backend) and a stand-in for the face worker: detection itself needs a
 * browser, so the stand-in answers with the boxes and crop a frame would have produced.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import { entryCropSpec } from '../../core/manifest.ts';
import type { PersonalHead } from '../../core/personal-head.ts';
import { createStreamingGru } from '../../core/streaming-gru.ts';
import type { GruStackWeights, StreamingGru } from '../../core/streaming-gru.ts';
import type { FaceBox } from '../face/face-box.ts';
import { startExpressionRuntime } from '../inference/backend-activation.ts';
import { appBackends } from '../inference/expression-backends.ts';
import type { ExpressionRuntime } from '../inference/backend-activation.ts';
import { modelFilesOf } from '../inference/test-model-files.ts';
import type { FaceStageResult } from './face-protocol.ts';
import type { FaceStage } from './face-stage.ts';
import { createFramePipeline } from './frame-pipeline.ts';
import type { FramePipelineConfig } from './frame-pipeline.ts';
import type { ActiveProfile } from './protocol.ts';

const SIZE = 8;
const FEATURES = 6;

/** A small model with the exported CNN's outputs: features, classes (softmax), va. */
function tinyCnn(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 1] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(conv) as tf.SymbolicTensor;
  const features = tf.layers.dense({ units: FEATURES, name: 'features' }).apply(flat) as tf.SymbolicTensor;
  const classes = tf.layers.dense({ units: EMOTIONS.length, activation: 'softmax', name: 'classes' }).apply(features) as tf.SymbolicTensor;
  const va = tf.layers.dense({ units: 2, name: 'va' }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [features, classes, va] });
}

const ENTRY = {
  name: 'expression-cnn',
  version: 'test',
  task: 'face-expression' as const,
  input: {
    shape: [SIZE, SIZE, 1],
    channelOrder: 'gray' as const,
    normalisation: { scale: 1 / 255, offset: 0 },
    cropMargin: 0.1,
    cropShiftY: 0,
  },
  outputs: [
    { name: 'features', size: FEATURES, meaning: 'features' },
    { name: 'classes', size: EMOTIONS.length, meaning: 'softmax over labels', labels: [...EMOTIONS] },
    { name: 'va', size: 2, meaning: 'valence, arousal' },
  ],
  provenance: { data: 'test', licence: 'test' },
};

/** A one-unit GRU over the CNN's features whose output is its hidden state. */
const GRU: GruStackWeights = {
  layers: [
    {
      inputSize: FEATURES,
      units: 1,
      kernel: Float32Array.from({ length: FEATURES * 3 }, (_, i) => ((i % 5) - 2) / 4),
      recurrentKernel: Float32Array.from([0.1, 0.2, 0.3]),
      bias: new Float32Array(3),
    },
  ],
  head: { inputSize: 1, outputs: 2, kernel: Float32Array.from([1, -1]), bias: Float32Array.from([0, 0]) },
};

const HEAD: PersonalHead = {
  featureSize: FEATURES,
  centre: new Float32Array(FEATURES),
  dW: new Float32Array(FEATURES * EMOTIONS.length),
  db: Float32Array.from(EMOTIONS, (e) => (e === 'happy' ? 2 : 0)),
  dV: new Float32Array(FEATURES * 2),
  dc: Float32Array.from([0.25, -0.125]),
  classes: ['neutral', 'happy'],
};
const PROFILE: ActiveProfile = { key: 'me:abc', head: HEAD };

const BIG: FaceBox = { x: 200, y: 100, width: 240, height: 240, score: 0.95 };
const SMALL: FaceBox = { x: 10, y: 10, width: 40, height: 40, score: 0.9 };

/** The crop of frame `n`: a different picture each frame, in the model's normalised range. */
const cropOf = (n: number): Float32Array => Float32Array.from({ length: SIZE * SIZE }, (_, i) => ((i * 7 + n * 13) % 29) / 29);

/** Bitmaps that know whether they were closed. */
function bitmap(): ImageBitmap & { readonly closed: boolean } {
  let closed = false;
  const frame = {
    width: 640,
    height: 480,
    get closed() {
      return closed;
    },
    close() {
      closed = true;
    },
  };
  return frame as unknown as ImageBitmap & { readonly closed: boolean };
}

/**
 * The face worker's handle as a plain object: it takes and closes each frame like the real one, and answers each
 * detection when the test says so (`answer(k)`), with two faces and the big one's crop unless told otherwise.
 */
function standInFaces() {
  const calls: { timestampMs: number; resolve(r: FaceStageResult): void; reject(e: Error): void }[] = [];
  let disposed = false;
  const stage: FaceStage = {
    detect(frame, timestampMs) {
      frame.close();
      if (disposed) return Promise.reject(new Error('face worker disposed'));
      return new Promise((resolve, reject) => calls.push({ timestampMs, resolve, reject }));
    },
    dispose() {
      disposed = true;
      for (const c of calls) c.reject(new Error('face worker disposed'));
    },
  };
  const withFace = (n: number): FaceStageResult => ({
    faces: [SMALL, BIG],
    tracked: 1,
    width: 640,
    height: 480,
    detectorMs: 4,
    cropMs: 1,
    input: cropOf(n),
  });
  const noFace: FaceStageResult = { faces: [], tracked: -1, width: 640, height: 480, detectorMs: 4, cropMs: 0 };
  return {
    stage,
    calls,
    get disposed() {
      return disposed;
    },
    answer(k: number, result: FaceStageResult = withFace(k)) {
      calls[k]!.resolve(result);
    },
    answerAll(from = 0) {
      for (let k = from; k < calls.length; k++) calls[k]!.resolve(withFace(k));
    },
    noFace,
  };
}

let runtime: ExpressionRuntime;
let cnn: tf.LayersModel;
const silent = { progress: () => undefined, backendChanged: () => undefined, recoveryFailed: () => undefined };

beforeAll(async () => {
  await tf.setBackend('cpu');
  cnn = tinyCnn();
});

async function startRuntime(): Promise<ExpressionRuntime> {
  const { entry, files } = await modelFilesOf(cnn, ENTRY);
  return startExpressionRuntime({
    entry,
    files,
    choice: { backend: 'cpu', reason: 'test', fallbacks: [] },
    runner: appBackends(''),
    events: silent,
  });
}

function pipelineWith(faces: FaceStage, config: Partial<FramePipelineConfig> = {}) {
  const cropSpec = entryCropSpec({ ...ENTRY, format: 'tfjs-layers', entry: 'x/model.json', files: [], quantization: 'float32' });
  return createFramePipeline({
    faces,
    expression: runtime,
    cropSpec,
    faceLost: { holdFrames: 2, resetFrames: 4, decayPerFrame: 0.5 },
    ...config,
  });
}

afterEach(() => {
  runtime?.dispose();
});

describe('createFramePipeline', () => {
  it('reads the largest face with the expression model and returns the page-side result', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage);
    const frame = bitmap();
    const pending = pipeline.process(frame, 1000);
    expect(frame.closed).toBe(true);
    faces.answer(0);
    const result = (await pending)!;
    const expected = await (await runtime.model())!.predict(cropOf(0));
    expect(result.tracked).toBe(1);
    expect(result.faces).toEqual([SMALL, BIG]);
    expect(result.analysis!.probs).toEqual(Array.from(expected.probs));
    expect(Array.from(result.analysis!.features)).toEqual(Array.from(expected.features));
    expect(result.analysis!.cnn).toEqual(expected.va);
    // No temporal model: the first reading passes through the smoothing.
    expect(result.va).toEqual(expected.va);
    expect(result.phase).toBe('tracking');
    expect(result.analysis!.cropSize).toBe(SIZE);
    // The crop back in 0..255 gray for the debug panel.
    expect(Math.abs(result.analysis!.crop[1]! - cropOf(0)[1]! * 255)).toBeLessThanOrEqual(0.5);
    expect(result.analysis!.quality).toMatchObject({ sizePx: 240, sizeFraction: 0.5, score: 0.95 });
    expect(result.timings).toMatchObject({ detect: 4, crop: 1 });
    expect(result.numTensors).toBe(tf.memory().numTensors);
    expect(await pipeline.probe(cropOf(0))).toEqual({ va: expected.va, probs: Array.from(expected.probs), backend: 'cpu' });
    pipeline.dispose();
    expect(faces.disposed).toBe(true);
  });

  it('runs the CNN and the GRU on a blank face while the face stage works on the first frame, leaving the window empty', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const real = createStreamingGru(GRU, { window: 4, states: 4 });
    const pushed: Float32Array[] = [];
    const gru: StreamingGru = {
      push(features) {
        pushed.push(Float32Array.from(features));
        return real.push(features);
      },
      reset: () => real.reset(),
      get coverage() {
        return real.coverage;
      },
      get frames() {
        return real.frames;
      },
    };
    const pipeline = pipelineWith(faces.stage, { gru });
    const first = pipeline.process(bitmap(), 0);
    // Before the face stage has answered; not zeros, which skip the GRU's products.
    await vi.waitFor(() => expect(pushed).toHaveLength(3));
    const ones = new Float32Array(FEATURES).fill(1);
    expect(pushed).toEqual([ones, ones, ones]);
    faces.answer(0);
    expect((await first)!.coverage).toBe(1);
    const second = pipeline.process(bitmap(), 33);
    faces.answer(1);
    expect((await second)!.coverage).toBe(2);
    // The frames' own features only: the warm-up ran once.
    const read = await (await runtime.model())!.predict(cropOf(0));
    expect(pushed).toHaveLength(5);
    expect(pushed[3]).toEqual(read.features);
    pipeline.dispose();
  });

  it('answers frames in the order given while the face stage already works on the next ones', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage, { gru: createStreamingGru(GRU, { window: 4, states: 4 }) });
    const order: number[] = [];
    const results = [0, 1, 2].map(async (n) => {
      const result = await pipeline.process(bitmap(), 33 * n);
      order.push(n);
      return result;
    });
    // All three frames reached the face stage before any was read.
    expect(faces.calls.map((c) => c.timestampMs)).toEqual([0, 33, 66]);
    faces.answer(2);
    faces.answer(1);
    faces.answer(0);
    const done = await Promise.all(results);
    expect(order).toEqual([0, 1, 2]);
    expect(done.map((r) => r!.coverage)).toEqual([1, 2, 3]);
    pipeline.dispose();
  });

  it('applies a reset and a profile change exactly between the frames given before and after them', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage, { gru: createStreamingGru(GRU, { window: 4, states: 4 }) });
    const a = pipeline.process(bitmap(), 0);
    const b = pipeline.process(bitmap(), 33);
    pipeline.reset();
    pipeline.setProfile(PROFILE);
    const c = pipeline.process(bitmap(), 66);
    faces.answerAll();
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect([ra!.coverage, rb!.coverage, rc!.coverage]).toEqual([1, 2, 1]);
    expect(rb!.analysis!.profile).toBeUndefined();
    expect(rc!.analysis!.profile).toBe('me:abc');
    // The shipped outputs travel beside the corrected ones; the correction moves valence by its bias.
    const shipped = rc!.analysis!.shipped!;
    expect(rc!.analysis!.cnn.valence).toBeCloseTo(shipped.va.valence + 0.25, 5);
    expect(rc!.analysis!.probs[EMOTIONS.indexOf('happy')]).toBeGreaterThan(shipped.probs[EMOTIONS.indexOf('happy')]!);
    expect((await pipeline.probe(cropOf(2))).profile).toBe('me:abc');
    pipeline.dispose();
  });

  it('holds, decays and then restarts the readout while no face is found', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage, { gru: createStreamingGru(GRU, { window: 4, states: 4 }) });
    const results = Array.from({ length: 6 }, (_, n) => pipeline.process(bitmap(), 33 * n));
    faces.answer(0);
    for (let k = 1; k < 5; k++) faces.answer(k, faces.noFace);
    faces.answer(5);
    const done = (await Promise.all(results)).map((r) => r!);
    expect(done.map((r) => r.phase)).toEqual(['tracking', 'hold', 'hold', 'decay', 'reset', 'tracking']);
    expect(done[1]!.va).toEqual(done[0]!.va);
    expect(done[3]!.va!.valence).toBeCloseTo(done[0]!.va!.valence * 0.5, 6);
    expect(done[4]!.va).toBeUndefined();
    expect(done.slice(1, 5).every((r) => r.analysis === undefined)).toBe(true);
    // The window started over: the face after the reset is the first frame behind the temporal output.
    expect(done[5]!.coverage).toBe(1);
    pipeline.dispose();
  });

  it('reports a failed detection as that frame’s error and goes on with the next', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage);
    const a = pipeline.process(bitmap(), 0);
    const b = pipeline.process(bitmap(), 33);
    faces.calls[0]!.reject(new Error('detector failed'));
    faces.answer(1);
    await expect(a).rejects.toThrow('detector failed');
    expect((await b)!.analysis).toBeDefined();
    pipeline.dispose();
  });

  it('after dispose, frames in flight and frames given later resolve to nothing and every bitmap is closed', async () => {
    runtime = await startRuntime();
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage);
    const inFlight = pipeline.process(bitmap(), 0);
    pipeline.dispose();
    const late = bitmap();
    expect(await inFlight).toBeUndefined();
    expect(await pipeline.process(late, 33)).toBeUndefined();
    expect(late.closed).toBe(true);
    await expect(pipeline.probe(cropOf(0))).rejects.toThrow('no expression model is loaded');
  });

  it('without an expression model, reports the faces only, and no tensor count', async () => {
    const faces = standInFaces();
    const pipeline = createFramePipeline({ faces: faces.stage });
    const pending = pipeline.process(bitmap(), 0);
    faces.answer(0);
    const result = (await pending)!;
    expect(result.analysis).toBeUndefined();
    expect(result.faces).toHaveLength(2);
    expect(result.numTensors).toBe(0);
    await expect(pipeline.probe(cropOf(0))).rejects.toThrow('no expression model is loaded');
    pipeline.dispose();
  });
});

describe('frame pipeline tensors', () => {
  it('leaves tf.memory().numTensors unchanged over many frames, after a reset, and back to the start after dispose', async () => {
    const atStart = tf.memory().numTensors;
    runtime = await startRuntime();
    const loaded = tf.memory().numTensors;
    const faces = standInFaces();
    const pipeline = pipelineWith(faces.stage, { gru: createStreamingGru(GRU, { window: 4, states: 2 }), profile: PROFILE });
    const results = Array.from({ length: 30 }, (_, n) => pipeline.process(bitmap(), 33 * n));
    for (let k = 0; k < 30; k++) faces.answer(k, k % 7 === 3 ? faces.noFace : undefined);
    const done = await Promise.all(results);
    expect(new Set(done.map((r) => r!.numTensors))).toEqual(new Set([loaded]));
    expect(tf.memory().numTensors).toBe(loaded);
    pipeline.reset();
    await pipeline.probe(cropOf(1));
    const after = pipeline.process(bitmap(), 2000);
    faces.answer(30);
    await after;
    expect(tf.memory().numTensors).toBe(loaded);
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(atStart);
  });
});
