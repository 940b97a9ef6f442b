/**
 * The wasm backend without TF.js: the expression model on TF.js's wasm kernels called directly (expression-wasm-model.ts),
 * in the binary the page keeps compiled. Its numbers are those of TF.js's wasm backend; the worker that runs it loads
 * no tfjs-core, which it would otherwise compile and optimise again on every visit.
 */
import type { WasmKernels } from '../../core/wasm-kernel-calls.ts';
import { startAppWasmKernels } from '../face/wasm-check.ts';
import type { BackendRunner } from './backend-activation.ts';
import { BackendStartError } from './backend-activation.ts';
import { loadWasmExpressionModel } from './expression-wasm-model.ts';

/**
 * Runs 'wasm' only. The binary starts once (the first start() call, made early while the models download); a binary
 * that cannot start is named (wasm-check.ts), as TF.js's backend would not.
 */
export function wasmKernelRunner(tfjsWasmUrl: string): BackendRunner {
  let kernels: Promise<WasmKernels> | undefined;
  let started: WasmKernels | undefined;
  const start = async (): Promise<WasmKernels> => {
    try {
      started = await startAppWasmKernels(tfjsWasmUrl);
      return started;
    } catch (e) {
      throw new BackendStartError(`wasm could not start (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  const only = (name: string): void => {
    if (name !== 'wasm') throw new Error(`the wasm kernels cannot run the ${name} backend`);
  };
  return {
    async start(name) {
      only(name);
      kernels ??= start();
      await kernels;
    },
    async load(name, entry, files) {
      only(name);
      kernels ??= start();
      return loadWasmExpressionModel(entry, files, await kernels);
    },
    liveTensors: () => started?.allocations() ?? 0,
  };
}
