/**
 * The expression model on a running TF.js backend: the first backend of the chosen order (backend-choice.ts) that
 * loads the model and runs it once wins, and a lost WebGPU device (driver reset, GPU removed, tab in the background
 * too long) moves the model to the next one while frames wait; the session and its temporal state continue.
 * Only tfjs-core here: the backends themselves are registered by whoever bundles them (the pipeline worker), at
 * start or through `loadBackend` when one is first tried.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelEntry } from '../../core/manifest.ts';
import { findBrokenRuntimeFile } from '../face/wasm-check.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';
import type { BackendChoice, BackendName } from './backend-choice.ts';
import { loadExpressionModel } from './expression-model.ts';
import type { ExpressionModel } from './expression-model.ts';

/** The backend running the model and why, in words for the HUD (the worker protocol's BackendInfo). */
export interface ActiveBackend {
  readonly backend: BackendName;
  readonly reason: string;
}

export interface ActivationEvents {
  /** A loading step started (the page shows it). */
  progress(stage: 'expression-model' | 'warm-up'): void;
  /** A lost GPU device was replaced by `backend`. */
  backendChanged(backend: ActiveBackend): void;
  /** A lost GPU device and no fallback could run the model. */
  recoveryFailed(message: string): void;
}

export interface ExpressionRuntime {
  /** The backend in use; after a lost device, the one that replaced it. */
  readonly backend: ActiveBackend;
  /** The model on the current backend; waits while a lost device is replaced; undefined when no fallback worked. */
  model(): Promise<ExpressionModel | undefined>;
  dispose(): void;
}

export interface RuntimeOptions {
  readonly entry: ModelEntry;
  readonly files: ModelFiles;
  readonly choice: BackendChoice;
  /** The tfjs wasm binaries this worker may load, named when the wasm backend cannot start. */
  readonly wasmFiles?: readonly string[];
  /** Registers a backend's code before it is first tried (a dynamic import); absent: all are registered already. */
  readonly loadBackend?: (name: BackendName) => Promise<void>;
  readonly events: ActivationEvents;
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** tfjs-webgpu keeps its GPUDevice on the backend object. */
function webgpuDevice(): GPUDevice | undefined {
  const b = tf.backend() as unknown as { device?: GPUDevice };
  return b.device;
}

/** Destroys the current WebGPU device, as a driver reset would (tests the fallback); nothing on other backends. */
export function loseGpuDevice(): void {
  webgpuDevice()?.destroy();
}

/**
 * Starts `name`'s runtime ahead of the model (its code, and for wasm the binary's compile and instantiation), so that
 * startExpressionRuntime finds it ready. Never throws: a backend that cannot start is found out, named and replaced
 * by startExpressionRuntime.
 */
export async function prestartBackend(name: BackendName, loadBackend?: (name: BackendName) => Promise<void>): Promise<void> {
  try {
    await loadBackend?.(name);
    if (await tf.setBackend(name)) await tf.ready();
  } catch {
    // startExpressionRuntime tries it again and reports why it failed.
  }
}

export async function startExpressionRuntime(options: RuntimeOptions): Promise<ExpressionRuntime> {
  const { entry, files, events } = options;
  let expression: ExpressionModel | undefined;
  let backend: ActiveBackend | undefined;
  let fallbacks: readonly BackendName[] = [];
  /** Set while a lost GPU device is being replaced; frames wait for it. */
  let recovering: Promise<void> | undefined;
  let disposed = false;

  /** Tries `order` in turn: the first backend that loads the model and runs it once wins. */
  async function activate(order: readonly BackendName[], reason: string): Promise<ActiveBackend> {
    const failures: string[] = [];
    for (const name of order) {
      try {
        await options.loadBackend?.(name);
        if (!(await tf.setBackend(name))) {
          // tfjs only logs why; a broken binary of ours is worth naming.
          const broken = name === 'wasm' ? await findBrokenRuntimeFile(options.wasmFiles ?? []) : undefined;
          failures.push(broken ? `${name} could not start (${broken.file} ${broken.problem})` : `${name} could not start`);
          continue;
        }
        await tf.ready();
        expression?.dispose();
        expression = undefined;
        events.progress('expression-model');
        const model = await loadExpressionModel(entry, files);
        events.progress('warm-up');
        const size = entry.input.shape[0]!;
        await model.predict(new Float32Array(size * size));
        expression = model;
        fallbacks = order.slice(order.indexOf(name) + 1);
        if (name === 'webgpu') watchGpuDevice();
        const first = failures.length === 0;
        return { backend: name, reason: first ? reason : `${failures.join('; ')}: using ${name}` };
      } catch (e) {
        failures.push(`${name} failed (${describeError(e)})`);
      }
    }
    throw new Error(`no backend could run the expression model: ${failures.join('; ')}`);
  }

  function watchGpuDevice(): void {
    void webgpuDevice()?.lost.then((info) => {
      if (disposed) return;
      const why = info.message || info.reason || 'unknown reason';
      recovering = (async () => {
        try {
          expression = undefined;
          tf.removeBackend('webgpu');
          const next = await activate(fallbacks, '');
          backend = { backend: next.backend, reason: `WebGPU device lost (${why}): fell back to ${next.backend}` };
          events.backendChanged(backend);
        } catch (e) {
          events.recoveryFailed(`WebGPU device lost and no fallback worked: ${describeError(e)}`);
        } finally {
          recovering = undefined;
        }
      })();
    });
  }

  const initial = await activate([options.choice.backend, ...options.choice.fallbacks], options.choice.reason);
  return {
    /** The replacement once a device was lost. */
    get backend() {
      return backend ?? initial;
    },
    async model() {
      if (recovering) await recovering;
      return expression;
    },
    dispose() {
      disposed = true;
      expression?.dispose();
      expression = undefined;
    },
  };
}
