/**
 * Starts the face detector in the face worker: TF.js's wasm binary (from the app's own /vendor/tfjs/), its kernels
 * called directly (src/core/wasm-kernel-calls.ts; this worker loads no tfjs-core), and BlazeFace from the model bytes
 * the page has already fetched and checked against the manifest. When the runtime cannot start, wasm-check.ts names
 * the broken binary.
 */
import { createBlazefaceWasmDetector } from '../../core/blazeface-wasm-detector.ts';
import type { BlazefaceDetector } from '../../core/blazeface-detection.ts';
import type { WasmKernels } from '../../core/wasm-kernel-calls.ts';
import { RuntimeFileStartError, startAppWasmKernels, WasmRuntimeStartError } from './wasm-check.ts';

/** The detector did not start; `broken` names the app's own runtime file at fault, when one is. */
export class FaceDetectorStartError extends RuntimeFileStartError {
  override readonly name = 'FaceDetectorStartError';
}

export interface DetectorStart {
  /** Folder of the tfjs wasm binaries (/vendor/tfjs/). */
  readonly tfjsWasmUrl: string;
  /** The .tflite bytes, already verified. */
  readonly model: Uint8Array;
  /** The model's file name, for errors. */
  readonly modelFile: string;
}

/**
 * The wasm kernels, from the binary TF.js's wasm backend would load in this browser (the one the page keeps compiled,
 * wasm-runtime-keeper.ts, whose code this compile reuses); a FaceDetectorStartError names a broken binary.
 */
export async function startWasmRuntime(tfjsWasmUrl: string): Promise<WasmKernels> {
  try {
    return await startAppWasmKernels(tfjsWasmUrl);
  } catch (e) {
    if (!(e instanceof WasmRuntimeStartError)) throw e;
    const { broken } = e;
    throw broken
      ? new FaceDetectorStartError(`${broken.file}: ${broken.problem}`, broken)
      : new FaceDetectorStartError(`the face detector could not start: ${e.message}`);
  }
}

/** The detector on the runtime `runtime` started (startWasmRuntime), or on one started now. */
export async function startFaceDetector(start: DetectorStart, runtime?: Promise<WasmKernels>): Promise<BlazefaceDetector> {
  const kernels = await (runtime ?? startWasmRuntime(start.tfjsWasmUrl));
  try {
    return createBlazefaceWasmDetector(start.model, start.modelFile, kernels);
  } catch (e) {
    throw new FaceDetectorStartError(
      `${start.modelFile}: the face detector could not be loaded (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
