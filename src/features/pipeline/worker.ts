/**
 * The pipeline worker: the page's messages (protocol.ts) in, the frame pipeline's answers out. The pipeline itself
 * (frame-pipeline.ts, stages in stages/) runs in two threads: the face worker (face-worker.ts) detects frame n+1
 * while this one runs the expression CNN and the streaming GRU on frame n. The page transfers up to two camera frames
 * at a time (pipeline-client.ts); frames, resets and profile changes take effect in arrival order.
 */
// The expression CNN runs on the backend chosen (backend-choice.ts): on wasm, the usual choice on a CPU, through TF.js's
// wasm kernels called directly, without TF.js (wasm-kernel-backend.ts); on WebGPU, WebGL or cpu through TF.js, whose
// core and backend are fetched only when one of them is tried (expression-backends.ts, BACKEND_CODE). The models are
// layers models, run without tfjs-layers (src/core/layers-graph.ts, layers-wasm-run.ts).
import { entryCropSpec } from '../../core/entry-crop-spec.ts';
import { calibrate } from '../../core/personal-head.ts';
import { createStreamingGru } from '../../core/streaming-gru.ts';
import type { StreamingGru } from '../../core/streaming-gru.ts';
import { startExpressionRuntime } from '../inference/backend-activation.ts';
import type { ExpressionRuntime } from '../inference/backend-activation.ts';
import { appBackends } from '../inference/expression-backends.ts';
import type { AppBackends } from '../inference/expression-backends.ts';
import { chooseBackend, requestedBackendPlan } from '../inference/backend-choice.ts';
import type { BackendName, BackendPlan } from '../inference/backend-choice.ts';
import { probeCapabilities } from '../inference/probe-backends.ts';
import { loadTemporalWeights } from '../inference/temporal-model.ts';
import { FaceStageStartError, startFaceStage } from './face-stage.ts';
import type { CameraFrame } from './camera-frame.ts';
import { createFramePipeline } from './frame-pipeline.ts';
import type { FramePipeline } from './frame-pipeline.ts';
import type { ActiveProfile, FromWorker, InitMessage, ModelPayload, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Set once the detector and the models are ready. */
let pipeline: FramePipeline | undefined;
/** This worker's end of the channel to the face worker, which the page started beside it ('prepare'). */
let facePort: MessagePort | undefined;
/**
 * The expression model's backend, chosen at 'prepare' from what this browser offers (and the backend asked for), its
 * runtime started there while the models still download.
 */
let backendStart: Promise<BackendPlan> | undefined;
/** A profile chosen before the pipeline was ready; it starts with it. */
let earlyProfile: ActiveProfile | undefined;

/** Each TF.js backend's code, loaded when it is first tried: a machine that runs wasm fetches none of them. */
const BACKEND_CODE: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: () => Promise.reject(new Error("TF.js's wasm backend is not bundled: wasm runs on its kernels directly")),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};
/** The backends, made at 'prepare' (they need the wasm binaries' folder). */
let backends: AppBackends | undefined;

async function loadBackend(name: BackendName): Promise<void> {
  await BACKEND_CODE[name]();
}

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Models {
  readonly expression: ExpressionRuntime;
  readonly gru: StreamingGru | undefined;
}

/** The expression backend, model and temporal model, loaded while the face worker starts. */
async function startModels(message: InitMessage, expressionModel: ModelPayload): Promise<Models> {
  post({ type: 'progress', stage: 'backend' });
  if (!backendStart || !backends) throw new Error('the pipeline worker was not prepared (no prepare message before init)');
  const choice = await backendStart;
  const expression = await startExpressionRuntime({
    entry: expressionModel.entry,
    files: expressionModel.files,
    choice,
    runner: backends,
    events: {
      progress: (stage) => post({ type: 'progress', stage }),
      backendChanged: (backend) => post({ type: 'backend', backend }),
      recoveryFailed: (message) => post({ type: 'error', stage: 'frame', message }),
    },
  });
  if (!message.temporal) return { expression, gru: undefined };
  try {
    post({ type: 'progress', stage: 'temporal-model' });
    const { stack, window } = loadTemporalWeights(message.temporal.entry, message.temporal.files);
    // Warmed up during the first frame, beside its face stage (frame-pipeline.ts).
    return { expression, gru: createStreamingGru(stack, { window, states: message.streamingStates }) };
  } catch (e) {
    expression.dispose();
    throw e;
  }
}

/**
 * The backend for `requested` (or by capability), its runtime started; the choice is made once, here. A backend asked
 * for starts at once, and the capability probe (a WebGL context and a WebGPU adapter, tens of milliseconds of a start)
 * runs only if its fallbacks are needed; otherwise the probe picks the backend first.
 */
async function startBackend(runner: AppBackends, requested: BackendName | undefined): Promise<BackendPlan> {
  // A backend that cannot start is found out, named and replaced by startExpressionRuntime.
  const prestart = (name: BackendName) => runner.start(name).catch(() => undefined);
  if (requested) {
    await prestart(requested);
    return requestedBackendPlan(requested, probeCapabilities);
  }
  const choice = chooseBackend(await probeCapabilities());
  await prestart(choice.backend);
  return choice;
}

/**
 * The face worker and the models start side by side. Both settle before an error is reported, and a detector that
 * failed is named first: without it nothing runs.
 */
async function init(message: InitMessage): Promise<void> {
  const start = performance.now();
  post({ type: 'progress', stage: 'detector' });
  const cropSpec = message.expression ? entryCropSpec(message.expression.entry) : undefined;
  if (!facePort) throw new Error('the face worker is not connected (no prepare message before init)');
  const face = startFaceStage(facePort);
  const models = message.expression ? startModels(message, message.expression) : Promise.resolve(undefined);
  // Whatever is still loading when the models are ready is the detector.
  void models.then(
    () => post({ type: 'progress', stage: 'detector' }),
    () => undefined,
  );
  const [detector, loaded] = await Promise.allSettled([face, models]);
  if (detector.status === 'rejected') {
    if (loaded.status === 'fulfilled') loaded.value?.expression.dispose();
    throw detector.reason;
  }
  if (loaded.status === 'rejected') {
    detector.value.dispose();
    throw loaded.reason;
  }
  const { expression, gru } = loaded.value ?? {};
  pipeline = createFramePipeline({ faces: detector.value, expression, gru, cropSpec, profile: earlyProfile });
  post({ type: 'ready', backend: expression?.backend, temporal: message.temporal !== undefined, loadMs: performance.now() - start });
}

function processFrame(frame: CameraFrame, timestampMs: number): void {
  if (!pipeline) {
    frame.close();
    post({ type: 'error', stage: 'frame', message: 'frame received before the detector was ready' });
    return;
  }
  pipeline.process(frame, timestampMs).then(
    (result) => {
      if (result) post({ type: 'result', ...result });
    },
    (e: unknown) => post({ type: 'error', stage: 'frame', message: describe(e) }),
  );
}

async function probe(input: Float32Array): Promise<void> {
  try {
    if (!pipeline) throw new Error('no expression model is loaded');
    post({ type: 'probe-result', ...(await pipeline.probe(input)) });
  } catch (e) {
    post({ type: 'error', stage: 'probe', message: describe(e) });
  }
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'prepare':
      facePort = message.facePort;
      backends = appBackends(message.tfjsWasmUrl, loadBackend);
      backendStart = startBackend(backends, message.backend);
      // A failure is reported by 'init', which awaits it.
      backendStart.catch(() => undefined);
      return;
    case 'init':
      try {
        await init(message);
      } catch (e) {
        const broken = e instanceof FaceStageStartError ? e.broken : undefined;
        post({ type: 'error', stage: 'init', message: describe(e), file: broken?.file, problem: broken?.problem });
      }
      return;
    case 'frame':
      processFrame(message.frame, message.timestampMs);
      return;
    case 'probe':
      await probe(message.input);
      return;
    case 'calibrate':
      try {
        const started = performance.now();
        const fitted = calibrate(message.frames);
        post({ type: 'calibration', ...fitted, ms: performance.now() - started });
      } catch (e) {
        post({ type: 'error', stage: 'calibrate', message: describe(e) });
      }
      return;
    case 'set-personal-head':
      if (pipeline) pipeline.setProfile(message.profile);
      else earlyProfile = message.profile;
      return;
    case 'reset':
      pipeline?.reset();
      return;
    case 'lose-gpu-device':
      backends?.loseGpuDevice();
      return;
    case 'dispose':
      pipeline?.dispose();
      pipeline = undefined;
      facePort?.close();
      facePort = undefined;
      scope.close();
      return;
  }
};
