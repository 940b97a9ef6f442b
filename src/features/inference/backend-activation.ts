/**
 * The expression model on a running backend: the first backend of the chosen order (backend-choice.ts) that loads the
 * model and runs it once wins, and a lost WebGPU device (driver reset, GPU removed, tab in the background too long)
 * moves the model to the next one while frames wait; the session and its temporal state continue. What starts a
 * backend and loads the model on it is the runner's (BackendRunner): TF.js for WebGPU, WebGL and cpu
 * (tfjs-backends.ts), TF.js's wasm kernels called directly for wasm (wasm-kernel-backend.ts).
 */
import type { ModelEntry } from '../../core/manifest.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';
import type { BackendName, BackendPlan } from './backend-choice.ts';
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
  /** Tensors alive on the backend in use: TF.js's tf.memory().numTensors, or the wasm kernels' allocations. */
  liveTensors(): number;
  dispose(): void;
}

/** Starts backends and loads the expression model on them. */
export interface BackendRunner {
  /**
   * Starts `name`'s runtime (its code; for wasm, its binary's compile); rejects when it cannot, with a
   * BackendStartError where the message already names the backend. May be called again for a backend started before.
   */
  start(name: BackendName): Promise<void>;
  /** The model on `name`, once started. */
  load(name: BackendName, entry: ModelEntry, files: ModelFiles): Promise<ExpressionModel>;
  /**
   * Where `name` runs on a device that can be lost (WebGPU): resolves with why, once it is lost and the runner has let
   * go of the backend. Undefined elsewhere.
   */
  deviceLost?(name: BackendName): Promise<string> | undefined;
  /** Tensors alive on `name` (flat from frame to frame when nothing leaks). */
  liveTensors(name: BackendName): number;
}

export interface RuntimeOptions {
  readonly entry: ModelEntry;
  readonly files: ModelFiles;
  /** The backend to try first and the ones behind it (asked for only if it fails). */
  readonly choice: BackendPlan;
  readonly runner: BackendRunner;
  readonly events: ActivationEvents;
}

/** A backend that did not start, in words that already name it. */
export class BackendStartError extends Error {}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function startExpressionRuntime(options: RuntimeOptions): Promise<ExpressionRuntime> {
  const { entry, files, events, runner } = options;
  let expression: ExpressionModel | undefined;
  let backend: ActiveBackend | undefined;
  /** What to fall back to from the backend in use. */
  let fallbacks: () => Promise<readonly BackendName[]> = () => Promise.resolve([]);
  /** Set while a lost GPU device is being replaced; frames wait for it. */
  let recovering: Promise<void> | undefined;
  let disposed = false;

  /** Starts `name` and runs the model on it once; throws why it could not. */
  async function run(name: BackendName): Promise<void> {
    await runner.start(name);
    expression?.dispose();
    expression = undefined;
    events.progress('expression-model');
    const model = await runner.load(name, entry, files);
    try {
      events.progress('warm-up');
      const size = entry.input.shape[0]!;
      await model.predict(new Float32Array(size * size));
    } catch (e) {
      model.dispose();
      throw e;
    }
    expression = model;
    const lost = runner.deviceLost?.(name);
    if (lost) watchDevice(lost);
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

  function watchDevice(lost: Promise<string>): void {
    void lost.then((why) => {
      if (disposed) return;
      recovering = (async () => {
        try {
          expression = undefined;
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
    liveTensors() {
      return runner.liveTensors((backend ?? initial).backend);
    },
    dispose() {
      disposed = true;
      expression?.dispose();
      expression = undefined;
    },
  };
}
