/**
 * Which of the app's runtime files is broken, asked only after a runtime failed to start: TF.js's wasm backend only
 * logs why (a failed fetch, a CompileError) and does not say which file, and the user needs the name. Every file
 * must download; a .wasm must also be a valid module (WebAssembly.validate catches a truncated or altered binary).
 */
import { startWasmKernels } from '../../core/wasm-kernel-calls.ts';
import type { WasmKernels } from '../../core/wasm-kernel-calls.ts';
import { kernelBinaryUrl, tfjsWasmBinaryName } from '../inference/wasm-runtime-keeper.ts';

export interface RuntimeFileProblem {
  /** Path relative to the app's origin, e.g. vendor/tfjs/tfjs-backend-wasm-simd.wasm. */
  readonly file: string;
  readonly problem: string;
}

/** The tfjs wasm binaries the app's workers may load from `tfjsWasmUrl`, in the order TF.js prefers them (no threads: no cross-origin isolation). */
export function tfjsWasmBinaries(tfjsWasmUrl: string): string[] {
  return [true, false].map((simd) => new URL(tfjsWasmBinaryName({ simd, threads: false }), tfjsWasmUrl).href);
}

export type FetchLike = (url: string) => Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

function displayName(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\//, '');
  } catch {
    return url;
  }
}

export async function findBrokenRuntimeFile(
  urls: readonly string[],
  fetchFile: FetchLike = (u) => fetch(u),
): Promise<RuntimeFileProblem | undefined> {
  for (const url of urls) {
    const file = displayName(url);
    let response;
    try {
      response = await fetchFile(url);
    } catch (e) {
      return { file, problem: `could not be downloaded (${e instanceof Error ? e.message : String(e)})` };
    }
    if (response.status === 404) return { file, problem: 'is missing' };
    if (!response.ok) return { file, problem: `could not be downloaded (HTTP ${response.status})` };
    const bytes = await response.arrayBuffer();
    if (url.endsWith('.wasm') && !WebAssembly.validate(bytes)) {
      return { file, problem: `is not a valid WebAssembly module (${bytes.byteLength} bytes): truncated or corrupt` };
    }
  }
  return undefined;
}

/** Something did not start; `broken` names the app's own runtime file at fault, when one is. */
export class RuntimeFileStartError extends Error {
  readonly broken: RuntimeFileProblem | undefined;
  constructor(message: string, broken?: RuntimeFileProblem) {
    super(message);
    this.broken = broken;
  }
}

/** TF.js's wasm kernels did not start; the message is the broken file and its problem, or else why. */
export class WasmRuntimeStartError extends RuntimeFileStartError {
  override readonly name = 'WasmRuntimeStartError';
}

/**
 * TF.js's wasm kernels (src/core/wasm-kernel-calls.ts) from the binary this browser runs in `tfjsWasmUrl` (the one
 * the page keeps compiled, kernelBinaryUrl); rejects with a WasmRuntimeStartError that names a broken binary. Both
 * workers start their runtime here.
 */
export async function startAppWasmKernels(tfjsWasmUrl: string): Promise<WasmKernels> {
  let reason: string;
  try {
    return await startWasmKernels(kernelBinaryUrl(tfjsWasmUrl));
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  const broken = await findBrokenRuntimeFile(tfjsWasmBinaries(tfjsWasmUrl));
  throw new WasmRuntimeStartError(broken ? `${broken.file} ${broken.problem}` : reason, broken);
}
