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
import type { BackendName, BackendPlan } from './backend-choice.ts';
import { loadExpressionModel } from './expression-model.ts';
import type { ExpressionModel } from './expression-outputs.ts';

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
  /** The backend to try first and the ones behind it (asked for only if it fails). */
  readonly choice: BackendPlan;
  /** The tfjs wasm binaries this worker may load, named when the wasm backend cannot start. */
  readonly wasmFiles?: readonly string[];
  /** Registers a backend's code before it is first tried (a dynamic import); absent: all are registered already. */
  readonly loadBackend?: (name: BackendName) => Promise<void>;
  readonly events: ActivationEvents;
}

/** A backend that did not start, in words that already name it. */
class BackendStartError extends Error {}

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
  /** What to fall back to from the backend in use. */
  let fallbacks: () => Promise<readonly BackendName[]> = () => Promise.resolve([]);
  /** Set while a lost GPU device is being replaced; frames wait for it. */
  let recovering: Promise<void> | undefined;
  let disposed = false;

  /** Starts `name` and runs the model on it once; throws why it could not. */
  async function run(name: BackendName): Promise<void> {
    await options.loadBackend?.(name);
    if (!(await tf.setBackend(name))) {
      // tfjs only logs why; a broken binary of ours is worth naming.
      const broken = name === 'wasm' ? await findBrokenRuntimeFile(options.wasmFiles ?? []) : undefined;
      throw new BackendStartError(broken ? `${name} could not start (${broken.file} ${broken.problem})` : `${name} could not start`);
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
    if (name === 'webgpu') watchGpuDevice();
  }

  /**
   * Tries `plan.backend`, then its fallbacks in turn (asked for only now): the first backend that loads the model
   * and runs it once wins.
   */
  async function activate(plan: BackendPlan): Promise<ActiveBackend> {
    const failures: string[] = [];
    const started = async (name: BackendName): Promise<boolean> => {
      try {
        await run(name);
        return true;
      } catch (e) {
        failures.push(e instanceof BackendStartError ? e.message : `${name} failed (${describeError(e)})`);
        return false;
      }
    };
    const reason = (name: BackendName): string => (failures.length === 0 ? plan.reason : `${failures.join('; ')}: using ${name}`);
    const later = plan.fallbacks;
    const behind = typeof later === 'function' ? later : () => Promise.resolve(later);
    if (await started(plan.backend)) {
      fallbacks = behind;
      return { backend: plan.backend, reason: reason(plan.backend) };
    }
    const order = (await behind()).filter((b) => b !== plan.backend);
    for (const [i, name] of order.entries()) {
      if (await started(name)) {
        fallbacks = () => Promise.resolve(order.slice(i + 1));
        return { backend: name, reason: reason(name) };
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
          const [first, ...rest] = await fallbacks();
          if (!first) throw new Error('no backend left to fall back to');
          const next = await activate({ backend: first, reason: '', fallbacks: rest });
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

  const initial = await activate(options.choice);
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
