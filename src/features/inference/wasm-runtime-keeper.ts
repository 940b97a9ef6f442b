/**
 * The page's own compiled copy of the TF.js wasm binary both workers run (about 420 kB of wasm).
 *
 * V8 compiles identical wasm bytes once per renderer process and shares that code, with whatever it has optimised
 * since, with every thread that compiles the same bytes while one of them still holds a module of it. The workers are
 * new on every visit, so their code went with them: each reload compiled the binary again and optimised its hot
 * functions again (about 175 ms of CPU in a warm start on two cores, beside the start's own work). The page compiling
 * the binary too keeps a copy: on a reload the previous page's module is still in memory until V8 collects it, and
 * the new page's compile, then both workers', reuse its code. After a browser restart it is one compile, which the
 * workers share as they did before. Nothing depends on it: when it fails, the workers fetch, compile and report
 * errors as they always do.
 */

export interface WasmFeatures {
  readonly simd: boolean;
  readonly threads: boolean;
}

// The probes TF.js's wasm backend validates (flags_wasm.ts, from GoogleChromeLabs/wasm-feature-detect).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
const THREADS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11,
]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** What TF.js's wasm backend will find in this browser. Threads also need shared memory (cross-origin isolation). */
export function browserWasmFeatures(): WasmFeatures {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return { simd: validates(SIMD_PROBE), threads: isolated && typeof SharedArrayBuffer === 'function' && validates(THREADS_PROBE) };
}

/** The binary TF.js's wasm backend loads with `features` (its getPathToWasmBinary). */
export function tfjsWasmBinaryName({ simd, threads }: WasmFeatures): string {
  if (simd && threads) return 'tfjs-backend-wasm-threaded-simd.wasm';
  return simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
}

/**
 * The binary the workers call TF.js's wasm kernels in (wasm-kernel-calls.ts): TF.js's non-threaded build for this
 * browser, the one the page keeps compiled (threads need cross-origin isolation, which this app never has).
 */
export function kernelBinaryUrl(tfjsWasmUrl: string): string {
  return new URL(tfjsWasmBinaryName({ ...browserWasmFeatures(), threads: false }), tfjsWasmUrl).href;
}

/**
 * Compiles the binary the workers will load from `tfjsWasmUrl`, streaming; undefined when it cannot (a failed
 * download or a broken binary: the workers name the file when they fail on it).
 */
export function compileWasmRuntime(
  tfjsWasmUrl: string,
  fetchFile: (url: string) => Promise<Response> = (url) => fetch(url),
  features: WasmFeatures = browserWasmFeatures(),
): Promise<WebAssembly.Module | undefined> {
  const url = new URL(tfjsWasmBinaryName(features), tfjsWasmUrl).href;
  return WebAssembly.compileStreaming(fetchFile(url)).catch(() => undefined);
}

let kept: Promise<WebAssembly.Module | undefined> | undefined;

/** compileWasmRuntime once per page; the module is held for the page's life (see above). */
export function keepWasmRuntimeCompiled(tfjsWasmUrl: string): Promise<WebAssembly.Module | undefined> {
  kept ??= compileWasmRuntime(tfjsWasmUrl);
  return kept;
}
