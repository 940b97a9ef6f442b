/**
 * The page's handle on the pipeline: a promise per frame, at most MAX_FRAMES_IN_FLIGHT frames in flight
 * (the workers analyse them one after another, in order, so results come back in the order sent); load
 * progress and backend changes reported through callbacks. The page starts both of the pipeline's workers side
 * by side, the model worker (worker.ts) and the face worker (face-worker.ts), joined by a MessageChannel: frames
 * go to the model worker, which passes them on to the face worker and gets back faces and crops.
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import { ModelFileError } from '../../core/manifest.ts';
import type { CalibrationFrame, CalibrationVerdict, PersonalHead } from '../../core/personal-head.ts';
import type { BackendName } from '../inference/backend-choice.ts';
import { keepWasmRuntimeCompiled } from '../inference/wasm-runtime-keeper.ts';
import type { CameraFrame } from './camera-frame.ts';
import type { FaceInit, ToFaceWorker } from './face-protocol.ts';
import type { ActiveProfile, BackendInfo, FrameResult, FromWorker, InitMessage, LoadStage, ToWorker } from './protocol.ts';
import { markStartup } from './startup-marks.ts';

/**
 * Two frames in flight: the page grabs and sends frame n+1 while the worker analyses frame n, so the worker
 * never waits for the page; more would only queue frames and add latency.
 */
export const MAX_FRAMES_IN_FLIGHT = 2;

export interface PipelineClient {
  /**
   * Transfers `frame` to the worker (the caller must not use it afterwards) to run the whole pipeline on it.
   * Frames are analysed in the order sent; a frame past MAX_FRAMES_IN_FLIGHT is refused (and closed).
   */
  analyse(frame: CameraFrame, timestampMs: number): Promise<FrameResult>;
  /** Runs the expression model alone on a preprocessed input (backend parity checks). */
  probe(input: Float32Array): Promise<{ va: ValenceArousal; probs: readonly number[]; backend: BackendName; profile?: string }>;
  /** Destroys the WebGPU device as a driver reset would; the worker falls back to the next backend. */
  loseGpuDevice(): void;
  /** Fits a personal correction to captured frames, off the page's thread (personal-head.ts). */
  calibrate(frames: readonly CalibrationFrame[]): Promise<{ head: PersonalHead; verdict: CalibrationVerdict; ms: number }>;
  /** Applies a personal correction to every following frame; undefined: the shipped model alone. */
  setProfile(profile: ActiveProfile | undefined): void;
  /** Restarts the temporal window and smoothing (after a pause or a camera gap). */
  reset(): void;
  /** True while MAX_FRAMES_IN_FLIGHT frames are in flight: a frame sent now would be refused. */
  readonly busy: boolean;
  dispose(): void;
}

export interface PipelineReady {
  readonly client: PipelineClient;
  readonly backend: BackendInfo | undefined;
  readonly temporal: boolean;
  readonly loadMs: number;
}

export interface PipelineCallbacks {
  readonly onProgress?: (stage: LoadStage) => void;
  readonly onBackend?: (backend: BackendInfo) => void;
}

interface Pending<T> {
  resolve(result: T): void;
  reject(error: Error): void;
}

type ProbeResult = Awaited<ReturnType<PipelineClient['probe']>>;
type CalibrationResult = Awaited<ReturnType<PipelineClient['calibrate']>>;

/** The requests waiting for the worker's answer. */
interface Waiting {
  /** Frames in flight, oldest first: the worker answers them in this order. */
  readonly frames: Pending<FrameResult>[];
  probing: Pending<ProbeResult> | undefined;
  calibrating: Pending<CalibrationResult> | undefined;
  disposed: boolean;
}

const disposedError = (): Error => new Error('pipeline worker disposed');

function createClient(
  send: (message: ToWorker, transfer?: Transferable[]) => void,
  waiting: Waiting,
  stopFace: () => void,
): PipelineClient {
  return {
    analyse(frame, timestampMs) {
      if (waiting.disposed || waiting.frames.length >= MAX_FRAMES_IN_FLIGHT) {
        frame.close();
        return Promise.reject(waiting.disposed ? disposedError() : new Error(`${MAX_FRAMES_IN_FLIGHT} frames are already in flight`));
      }
      return new Promise<FrameResult>((resolve, reject) => {
        waiting.frames.push({ resolve, reject });
        send({ type: 'frame', frame, timestampMs }, [frame]);
      });
    },
    probe(input) {
      if (waiting.disposed || waiting.probing)
        return Promise.reject(waiting.disposed ? disposedError() : new Error('a probe is already running'));
      return new Promise<ProbeResult>((resolve, reject) => {
        waiting.probing = { resolve, reject };
        send({ type: 'probe', input });
      });
    },
    calibrate(frames) {
      if (waiting.disposed || waiting.calibrating)
        return Promise.reject(waiting.disposed ? disposedError() : new Error('a calibration is already being fitted'));
      return new Promise<CalibrationResult>((resolve, reject) => {
        waiting.calibrating = { resolve, reject };
        send({ type: 'calibrate', frames });
      });
    },
    setProfile(profile) {
      if (!waiting.disposed) send({ type: 'set-personal-head', profile });
    },
    loseGpuDevice() {
      if (!waiting.disposed) send({ type: 'lose-gpu-device' });
    },
    reset() {
      if (!waiting.disposed) send({ type: 'reset' });
    },
    get busy() {
      return waiting.frames.length >= MAX_FRAMES_IN_FLIGHT;
    },
    dispose() {
      if (waiting.disposed) return;
      waiting.disposed = true;
      send({ type: 'dispose' });
      stopFace();
      const error = disposedError();
      for (const f of waiting.frames.splice(0)) f.reject(error);
      waiting.probing?.reject(error);
      waiting.calibrating?.reject(error);
      waiting.probing = undefined;
      waiting.calibrating = undefined;
    },
  };
}

/** An 'error' message after init: rejects the request it answers. */
function rejectWaiting(waiting: Waiting, stage: 'frame' | 'probe' | 'calibrate', message: string): void {
  const error = new Error(message);
  if (stage === 'calibrate') {
    waiting.calibrating?.reject(error);
    waiting.calibrating = undefined;
  } else if (stage === 'probe') {
    waiting.probing?.reject(error);
    waiting.probing = undefined;
  } else {
    waiting.frames.shift()?.reject(error);
  }
}

/** Routes one message from the worker to the request or callback it answers; init errors go to `failInit`. */
function routeMessage(
  m: FromWorker,
  waiting: Waiting,
  callbacks: PipelineCallbacks,
  ready: (m: Extract<FromWorker, { type: 'ready' }>) => void,
  failInit: (error: Error) => void,
): void {
  switch (m.type) {
    case 'progress':
      callbacks.onProgress?.(m.stage);
      return;
    case 'ready':
      ready(m);
      return;
    case 'backend':
      callbacks.onBackend?.(m.backend);
      return;
    case 'probe-result': {
      const p = waiting.probing;
      waiting.probing = undefined;
      p?.resolve({ va: m.va, probs: m.probs, backend: m.backend, ...(m.profile ? { profile: m.profile } : {}) });
      return;
    }
    case 'calibration': {
      const c = waiting.calibrating;
      waiting.calibrating = undefined;
      c?.resolve({ head: m.head, verdict: m.verdict, ms: m.ms });
      return;
    }
    case 'result':
      waiting.frames.shift()?.resolve(m);
      return;
    case 'error':
      if (m.stage === 'init') failInit(m.file && m.problem ? new ModelFileError(m.file, m.problem) : new Error(m.message));
      else rejectWaiting(waiting, m.stage, m.message);
      return;
  }
}

/** The buffers of the model files in `message`, each once. */
export function modelBuffers(message: Pick<InitMessage, 'expression' | 'temporal'>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const model of [message.expression, message.temporal]) {
    for (const bytes of model?.files.values() ?? []) if (bytes.buffer instanceof ArrayBuffer) buffers.add(bytes.buffer);
  }
  return [...buffers];
}

/**
 * Creates the face worker (its wasm runtime starts as its code runs) and hands it `port`, its end of the channel to the model worker.
 * Called by the page, so the face worker loads side by side with the model worker instead of after it.
 */
export function spawnFaceWorker(port: MessagePort): Worker {
  const worker = new Worker(new URL('./face-worker.ts', import.meta.url), { type: 'module', name: 'face-detection' });
  worker.postMessage({ type: 'connect', port } satisfies ToFaceWorker, [port]);
  return worker;
}

/**
 * Starts both pipeline workers at once (their code, wasm runtimes and the expression model's backend, `backend` or
 * the capable one, load while the models download), hands the face
 * worker `detector` and the model worker `init` as each arrives, and resolves once both are loaded and warmed up. A
 * rejected `detector` or `init`, or either worker failing to start, stops both and rejects with that error.
 */
export function startPipelineClient(
  { tfjsWasmUrl, backend }: { readonly tfjsWasmUrl: string; readonly backend?: BackendName },
  detector: Promise<Omit<FaceInit, 'type' | 'tfjsWasmUrl'>>,
  init: Promise<Omit<InitMessage, 'type' | 'tfjsWasmUrl'>>,
  callbacks: PipelineCallbacks = {},
): Promise<PipelineReady> {
  // Before the workers: their compiles of the same binary then reuse the page's code (wasm-runtime-keeper.ts).
  void keepWasmRuntimeCompiled(tfjsWasmUrl);
  const channel = new MessageChannel();
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'face-pipeline' });
  const faceWorker = spawnFaceWorker(channel.port1);
  markStartup('workers-created');
  const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);
  send({ type: 'prepare', tfjsWasmUrl, facePort: channel.port2, ...(backend ? { backend } : {}) }, [channel.port2]);
  const waiting: Waiting = { frames: [], probing: undefined, calibrating: undefined, disposed: false };
  const stopFace = (): void => faceWorker.postMessage({ type: 'dispose' } satisfies ToFaceWorker);
  const client = createClient(send, waiting, stopFace);

  return new Promise((resolveReady, rejectReady) => {
    const failInit = (error: Error): void => {
      worker.terminate();
      faceWorker.terminate();
      rejectReady(error);
    };
    let ready = false;
    // A face worker whose code does not load stops the start; an uncaught error later fails the frames in flight,
    // as the model worker's does.
    faceWorker.onerror = (event) => {
      const error = new Error(`face detection worker failed: ${event.message || 'could not start'}`);
      for (const f of waiting.frames.splice(0)) f.reject(error);
      if (!ready) failInit(error);
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) =>
      routeMessage(
        event.data,
        waiting,
        callbacks,
        (m) => {
          ready = true;
          resolveReady({ client, backend: m.backend, temporal: m.temporal, loadMs: m.loadMs });
        },
        failInit,
      );
    worker.onerror = (event) => {
      const error = new Error(`face pipeline worker failed: ${event.message || 'could not start'}`);
      for (const f of waiting.frames.splice(0)) f.reject(error);
      rejectReady(error);
    };
    const fail = (e: unknown): void => failInit(e instanceof Error ? e : new Error(String(e)));
    // The detector goes to the face worker as soon as it is here, without waiting for the other models.
    detector.then((face) => {
      // A copy goes to the worker, so the caller's bytes stay usable.
      const model = face.model.slice();
      faceWorker.postMessage({ type: 'init', ...face, tfjsWasmUrl, model } satisfies ToFaceWorker, [model.buffer]);
    }, fail);
    // The model files are handed over, not copied: the page reads nothing of them after this.
    init.then((message) => send({ type: 'init', ...message, tfjsWasmUrl }, modelBuffers(message)), fail);
  });
}
