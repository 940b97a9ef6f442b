/**
 * The per-frame pipeline off the main thread, in two threads: this worker passes each frame on to the face worker
 * (face-worker.ts: face detection and the crop, src/core/preprocess.ts) and runs the expression CNN on the chosen
 * TF.js backend and the streaming GRU on what comes back. While this worker runs the models on frame n, the face
 * worker already detects frame n+1. The page transfers up to two ImageBitmaps at a time (detection-worker.ts);
 * frames, resets and profile changes take effect in arrival order, so the GRU's window sees the frames in camera
 * order. The face worker closes every bitmap it is given.
 */
// The TF.js the app runs and no more: core, layers (the models are layers models) and the four backends it may
// choose (backend-choice.ts); not the graph-model converter or tf.data that '@tensorflow/tfjs' also carries.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { entryCropSpec } from '../../core/manifest.ts';
import { calibrate } from '../../core/personal-head.ts';
import type { CropSpec } from '../../core/preprocess.ts';
import { createStreamingGru } from '../../core/streaming-gru.ts';
import { describeError, loseGpuDevice, startExpressionRuntime } from '../inference/backend-activation.ts';
import type { ExpressionRuntime } from '../inference/backend-activation.ts';
import { chooseBackend } from '../inference/backend-choice.ts';
import { qualityIssues } from '../inference/face-quality.ts';
import { probeCapabilities } from '../inference/probe-backends.ts';
import { personalise } from '../inference/personalise.ts';
import { loadTemporalWeights } from '../inference/temporal-model.ts';
import { createVaTracker } from '../inference/va-tracker.ts';
import type { VaTracker } from '../inference/va-tracker.ts';
import type { FaceStageResult } from './face-protocol.ts';
import { FaceStageStartError, startFaceStage } from './face-stage.ts';
import type { FaceStage } from './face-stage.ts';
import type { ActiveProfile, Analysis, FromWorker, InitMessage, ModelPayload, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let faceStage: FaceStage | undefined;
/** The expression model on its backend (backend-activation.ts); absent without an expression model. */
let runtime: ExpressionRuntime | undefined;
let tracker: VaTracker = createVaTracker();
let cropSpec: CropSpec | undefined;
/** The person's calibration, applied to every frame while set. */
let personal: ActiveProfile | undefined;
let disposed = false;

/** The end of the in-order work: frames, resets and profile changes (see the header). */
let inOrder: Promise<void> = Promise.resolve();

/** Runs `job` after everything received before it; its errors are its own to report. */
function afterPrevious(job: () => Promise<void> | void): void {
  inOrder = inOrder.then(job).catch((e: unknown) => console.error('pipeline worker:', e));
}

function post(message: FromWorker): void {
  scope.postMessage(message);
}

/** The expression backend, model and temporal model, loaded while the face worker starts. */
async function startModels(message: InitMessage, expressionModel: ModelPayload): Promise<void> {
  post({ type: 'progress', stage: 'backend' });
  setWasmPaths(message.tfjsWasmUrl);
  const wasmFiles = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'].map((f) => new URL(f, message.tfjsWasmUrl).href);
  const choice = chooseBackend(await probeCapabilities(), message.backend);
  runtime = await startExpressionRuntime({
    entry: expressionModel.entry,
    files: expressionModel.files,
    choice,
    wasmFiles,
    events: {
      progress: (stage) => post({ type: 'progress', stage }),
      backendChanged: (backend) => post({ type: 'backend', backend }),
      recoveryFailed: (message) => post({ type: 'error', stage: 'frame', message }),
    },
  });
  let gru;
  if (message.temporal) {
    post({ type: 'progress', stage: 'temporal-model' });
    const { stack, window } = await loadTemporalWeights(message.temporal.entry, message.temporal.files);
    gru = createStreamingGru(stack, { window, states: message.streamingStates });
  }
  tracker = createVaTracker({ gru });
}

/**
 * The face worker and the models start side by side. Both settle before an error is reported, and a detector that
 * failed is named first: without it nothing runs.
 */
async function init(message: InitMessage): Promise<void> {
  const start = performance.now();
  post({ type: 'progress', stage: 'detector' });
  cropSpec = message.expression ? entryCropSpec(message.expression.entry) : undefined;
  const face = startFaceStage({ wasmBaseUrl: message.wasmBaseUrl, model: message.model, modelFile: message.modelFile, ...(cropSpec ? { cropSpec } : {}) });
  const models = message.expression ? startModels(message, message.expression) : Promise.resolve();
  // Whatever is still loading when the models are ready is the detector.
  void models.then(() => post({ type: 'progress', stage: 'detector' }), () => undefined);
  const [detector, loaded] = await Promise.allSettled([face, models]);
  if (detector.status === 'rejected') throw detector.reason;
  faceStage = detector.value;
  if (loaded.status === 'rejected') throw loaded.reason;
  post({ type: 'ready', backend: runtime?.backend, temporal: message.temporal !== undefined, loadMs: performance.now() - start });
}

function toBytes(input: Float32Array, spec: CropSpec): { crop: Uint8ClampedArray; mean: number } {
  const { scale, offset } = spec.normalisation;
  const crop = new Uint8ClampedArray(input.length);
  let sum = 0;
  for (let i = 0; i < input.length; i++) {
    const v = ((input[i] ?? 0) - offset) / scale;
    crop[i] = v;
    sum += v;
  }
  return { crop, mean: sum / input.length };
}

/** The second stage of a frame whose faces and crop came back from the face worker; `t0`: when it arrived here. */
async function processFrame(first: FaceStageResult, timestampMs: number, t0: number): Promise<void> {
  const expression = await runtime?.model();
  const { faces, tracked, detectorMs, width, height, input } = first;
  let cnn = 0;
  let gru = 0;
  let analysis: Analysis | undefined;
  let value;
  const face = faces[tracked];
  if (face && expression && cropSpec && input) {
    const tn = performance.now();
    const shipped = await expression.predict(input);
    const profile = personal;
    const personalised = profile ? personalise(profile.head, shipped) : undefined;
    const out = personalised?.output ?? shipped;
    const tg = performance.now();
    cnn = tg - tn;
    value = tracker.face({ features: shipped.features, va: shipped.va, vaCorrection: personalised?.vaCorrection }, timestampMs);
    gru = performance.now() - tg;
    const { crop: bytes, mean } = toBytes(input, cropSpec);
    const sizePx = Math.max(face.width, face.height);
    analysis = {
      probs: Array.from(out.probs),
      cnn: out.va,
      features: shipped.features,
      ...(profile ? { profile: profile.key } : {}),
      ...(personalised ? { shipped: { probs: Array.from(shipped.probs), va: shipped.va } } : {}),
      crop: bytes,
      cropSize: cropSpec.size,
      quality: {
        sizePx,
        sizeFraction: sizePx / Math.min(width, height),
        brightness: mean,
        score: face.score,
        issues: qualityIssues({ sizePx, brightness: mean, score: face.score }),
      },
    };
  } else {
    value = tracker.noFace(timestampMs);
  }
  post({
    type: 'result',
    faces,
    tracked,
    width,
    height,
    detectorMs,
    timestampMs,
    analysis,
    va: value.va,
    temporal: value.temporal,
    coverage: value.coverage,
    phase: value.phase,
    timings: { detect: detectorMs, crop: first.cropMs, cnn, gru, total: performance.now() - t0 },
    // Without an expression model no tf backend was ever started (and tf.memory() would start one).
    numTensors: runtime ? tf.memory().numTensors : 0,
  });
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      try {
        await init(message);
      } catch (e) {
        const broken = e instanceof FaceStageStartError ? e.broken : undefined;
        post({ type: 'error', stage: 'init', message: describeError(e), file: broken?.file, problem: broken?.problem });
      }
      return;
    case 'frame': {
      const { frame, timestampMs } = message;
      const arrived = performance.now();
      // The face worker starts on this frame now, even while the models are still on the one before.
      const first = faceStage ? faceStage.detect(frame, timestampMs) : Promise.reject(new Error('frame received before the detector was ready'));
      if (!faceStage) frame.close();
      first.catch(() => undefined);
      afterPrevious(async () => {
        try {
          const faces = await first;
          if (!disposed) await processFrame(faces, timestampMs, arrived);
        } catch (e) {
          if (!disposed) post({ type: 'error', stage: 'frame', message: describeError(e) });
        }
      });
      return;
    }
    case 'probe':
      try {
        const expression = await runtime?.model();
        if (!expression || !runtime) throw new Error('no expression model is loaded');
        const shipped = await expression.predict(message.input);
        const profile = personal;
        const out = profile ? personalise(profile.head, shipped).output : shipped;
        post({ type: 'probe-result', va: out.va, probs: Array.from(out.probs), backend: runtime.backend.backend, ...(profile ? { profile: profile.key } : {}) });
      } catch (e) {
        post({ type: 'error', stage: 'probe', message: describeError(e) });
      }
      return;
    case 'calibrate':
      try {
        const started = performance.now();
        const fitted = calibrate(message.frames);
        post({ type: 'calibration', ...fitted, ms: performance.now() - started });
      } catch (e) {
        post({ type: 'error', stage: 'calibrate', message: describeError(e) });
      }
      return;
    case 'set-personal-head': {
      const { profile } = message;
      afterPrevious(() => {
        personal = profile;
      });
      return;
    }
    case 'reset':
      afterPrevious(() => tracker.reset());
      return;
    case 'lose-gpu-device':
      loseGpuDevice();
      return;
    case 'dispose':
      disposed = true;
      faceStage?.dispose();
      faceStage = undefined;
      runtime?.dispose();
      scope.close();
      return;
  }
};
