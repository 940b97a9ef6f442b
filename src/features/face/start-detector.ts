/**
 * Starts the face detector in the face worker: TF.js's wasm backend (its binaries from the app's own /vendor/tfjs/)
 * and BlazeFace from the model bytes the page has already fetched and checked against the manifest. When the
 * backend cannot start, wasm-check.ts names the broken binary.
 */
import { configureWasmBackend } from '../inference/wasm-kernels.ts';
import * as tf from '@tensorflow/tfjs-core';
import { createBlazefaceDetector } from '../../core/blazeface-detector.ts';
import type { BlazefaceDetector } from '../../core/blazeface-detector.ts';
import { findBrokenRuntimeFile, tfjsWasmBinaries } from './wasm-check.ts';
import type { RuntimeFileProblem } from './wasm-check.ts';

/** The detector did not start; `broken` names the app's own runtime file at fault, when one is. */
export class FaceDetectorStartError extends Error {
  readonly broken: RuntimeFileProblem | undefined;
  constructor(message: string, broken?: RuntimeFileProblem) {
    super(message);
    this.name = 'FaceDetectorStartError';
    this.broken = broken;
  }
}

export interface DetectorStart {
  /** Folder of the tfjs wasm binaries (/vendor/tfjs/). */
  readonly tfjsWasmUrl: string;
  /** The .tflite bytes, already verified. */
  readonly model: Uint8Array;
  /** The model's file name, for errors. */
  readonly modelFile: string;
}

/** TF.js's wasm backend, from the app's own binaries; a FaceDetectorStartError names a broken binary. */
export async function startWasmRuntime(tfjsWasmUrl: string): Promise<void> {
  configureWasmBackend(tfjsWasmUrl);
  let ready = false;
  let reason = 'the wasm backend did not start';
  try {
    ready = await tf.setBackend('wasm');
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  if (ready) return;
  const broken = await findBrokenRuntimeFile(tfjsWasmBinaries(tfjsWasmUrl));
  if (broken) throw new FaceDetectorStartError(`${broken.file}: ${broken.problem}`, broken);
  throw new FaceDetectorStartError(`the face detector could not start: ${reason}`);
}

/** The detector on the runtime `runtime` started (startWasmRuntime), or on one started now. */
export async function startFaceDetector(start: DetectorStart, runtime?: Promise<void>): Promise<BlazefaceDetector> {
  await (runtime ?? startWasmRuntime(start.tfjsWasmUrl));
  try {
    return createBlazefaceDetector(start.model, start.modelFile);
  } catch (e) {
    throw new FaceDetectorStartError(
      `${start.modelFile}: the face detector could not be loaded (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
