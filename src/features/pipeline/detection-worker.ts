/**
 * The page's side of the pipeline worker: a promise per frame, at most MAX_FRAMES_IN_FLIGHT frames in flight
 * (the worker analyses them one after another, in order, so results come back in the order sent); load
 * progress and backend changes reported through callbacks.
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import { ModelFileError } from '../../core/manifest.ts';
import type { CalibrationFrame, CalibrationVerdict, PersonalHead } from '../../core/personal-head.ts';
import type { BackendName } from '../inference/backend-choice.ts';
import type { ActiveProfile, BackendInfo, FrameResult, FromWorker, InitMessage, LoadStage, ToWorker } from './protocol.ts';

/**
 * Two frames in flight: the page grabs and sends frame n+1 while the worker analyses frame n, so the worker
 * never waits for the page; more would only queue frames and add latency.
 */
export const MAX_FRAMES_IN_FLIGHT = 2;

export interface PipelineWorker {
  /**
   * Transfers `frame` to the worker (the caller must not use it afterwards). Frames are analysed in the order
   * sent; a frame past MAX_FRAMES_IN_FLIGHT is refused (and closed).
   */
  detect(frame: ImageBitmap, timestampMs: number): Promise<FrameResult>;
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

export interface WorkerReady {
  readonly worker: PipelineWorker;
  readonly backend: BackendInfo | undefined;
  readonly temporal: boolean;
  readonly loadMs: number;
}

export interface WorkerCallbacks {
  readonly onProgress?: (stage: LoadStage) => void;
  readonly onBackend?: (backend: BackendInfo) => void;
}

interface Pending<T> {
  resolve(result: T): void;
  reject(error: Error): void;
}

type ProbeResult = Awaited<ReturnType<PipelineWorker['probe']>>;
type CalibrationResult = Awaited<ReturnType<PipelineWorker['calibrate']>>;

export function startPipelineWorker(init: Omit<InitMessage, 'type'>, callbacks: WorkerCallbacks = {}): Promise<WorkerReady> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'face-pipeline' });
  const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);
  /** Frames in flight, oldest first: the worker answers them in this order. */
  const frames: Pending<FrameResult>[] = [];
  let probing: Pending<ProbeResult> | undefined;
  let calibrating: Pending<CalibrationResult> | undefined;
  let disposed = false;

  return new Promise((resolveReady, rejectReady) => {
    const handle: PipelineWorker = {
      detect(frame, timestampMs) {
        if (disposed || frames.length >= MAX_FRAMES_IN_FLIGHT) {
          frame.close();
          return Promise.reject(new Error(disposed ? 'pipeline worker disposed' : `${MAX_FRAMES_IN_FLIGHT} frames are already in flight`));
        }
        return new Promise<FrameResult>((resolve, reject) => {
          frames.push({ resolve, reject });
          send({ type: 'frame', frame, timestampMs }, [frame]);
        });
      },
      probe(input) {
        if (disposed || probing) return Promise.reject(new Error(disposed ? 'pipeline worker disposed' : 'a probe is already running'));
        return new Promise<ProbeResult>((resolve, reject) => {
          probing = { resolve, reject };
          send({ type: 'probe', input });
        });
      },
      calibrate(frames) {
        if (disposed || calibrating) return Promise.reject(new Error(disposed ? 'pipeline worker disposed' : 'a calibration is already being fitted'));
        return new Promise<CalibrationResult>((resolve, reject) => {
          calibrating = { resolve, reject };
          send({ type: 'calibrate', frames });
        });
      },
      setProfile(profile) {
        if (!disposed) send({ type: 'set-personal-head', profile });
      },
      loseGpuDevice() {
        if (!disposed) send({ type: 'lose-gpu-device' });
      },
      reset() {
        if (!disposed) send({ type: 'reset' });
      },
      get busy() {
        return frames.length >= MAX_FRAMES_IN_FLIGHT;
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        send({ type: 'dispose' });
        const error = new Error('pipeline worker disposed');
        for (const f of frames.splice(0)) f.reject(error);
        probing?.reject(error);
        calibrating?.reject(error);
        probing = undefined;
        calibrating = undefined;
      },
    };

    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      switch (m.type) {
        case 'progress':
          callbacks.onProgress?.(m.stage);
          return;
        case 'ready':
          resolveReady({ worker: handle, backend: m.backend, temporal: m.temporal, loadMs: m.loadMs });
          return;
        case 'backend':
          callbacks.onBackend?.(m.backend);
          return;
        case 'probe-result': {
          const p = probing;
          probing = undefined;
          p?.resolve({ va: m.va, probs: m.probs, backend: m.backend, ...(m.profile ? { profile: m.profile } : {}) });
          return;
        }
        case 'calibration': {
          const c = calibrating;
          calibrating = undefined;
          c?.resolve({ head: m.head, verdict: m.verdict, ms: m.ms });
          return;
        }
        case 'result':
          frames.shift()?.resolve(m);
          return;
        case 'error': {
          if (m.stage === 'init') {
            worker.terminate();
            rejectReady(m.file && m.problem ? new ModelFileError(m.file, m.problem) : new Error(m.message));
            return;
          }
          if (m.stage === 'calibrate') {
            calibrating?.reject(new Error(m.message));
            calibrating = undefined;
            return;
          }
          if (m.stage === 'probe') {
            probing?.reject(new Error(m.message));
            probing = undefined;
            return;
          }
          frames.shift()?.reject(new Error(m.message));
          return;
        }
      }
    };
    worker.onerror = (event) => {
      const error = new Error(`face pipeline worker failed: ${event.message || 'could not start'}`);
      for (const f of frames.splice(0)) f.reject(error);
      rejectReady(error);
    };
    // A copy goes to the worker, so the caller's bytes stay usable.
    const model = init.model.slice();
    send({ type: 'init', ...init, model }, [model.buffer]);
  });
}
