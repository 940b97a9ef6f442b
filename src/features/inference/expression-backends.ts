/**
 * The app's backends for the expression model: wasm on TF.js's kernels called directly (wasm-kernel-backend.ts), the
 * others on TF.js (tfjs-backends.ts), whose code is loaded only when one of them is first tried.
 */
import type { BackendRunner } from './backend-activation.ts';
import type * as TfjsBackends from './tfjs-backends.ts';
import type { BackendName } from './backend-choice.ts';
import { wasmKernelRunner } from './wasm-kernel-backend.ts';

export interface AppBackends extends BackendRunner {
  /** Destroys the WebGPU device in use, as a driver reset would (tests the fallback); nothing on other backends. */
  loseGpuDevice(): void;
}

/**
 * `tfjsWasmUrl`: the folder of TF.js's wasm binaries. `loadBackend` registers a TF.js backend's code before it is
 * first tried (webgpu, webgl, cpu).
 */
export function appBackends(tfjsWasmUrl: string, loadBackend?: (name: BackendName) => Promise<void>): AppBackends {
  const wasm = wasmKernelRunner(tfjsWasmUrl);
  let tfjs: Promise<typeof TfjsBackends> | undefined;
  /** The TF.js runner, once its code has loaded. */
  let tfjsRunner: BackendRunner | undefined;
  const runnerFor = async (name: BackendName): Promise<BackendRunner> => {
    if (name === 'wasm') return wasm;
    tfjs ??= import('./tfjs-backends.ts');
    const m = await tfjs;
    tfjsRunner ??= m.tfjsBackendRunner(loadBackend);
    return tfjsRunner;
  };
  return {
    start: async (name) => (await runnerFor(name)).start(name),
    load: async (name, entry, files) => (await runnerFor(name)).load(name, entry, files),
    deviceLost: (name) => (name === 'wasm' ? undefined : tfjsRunner?.deviceLost?.(name)),
    liveTensors: (name) => (name === 'wasm' ? wasm.liveTensors(name) : (tfjsRunner?.liveTensors(name) ?? 0)),
    loseGpuDevice() {
      void tfjs?.then((m) => m.loseGpuDevice());
    },
  };
}
