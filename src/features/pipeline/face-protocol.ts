/**
 * Messages between the model worker (worker.ts) and the face worker (face-worker.ts), its first stage: the face
 * worker detects faces and cuts the model's input from the largest one, so it can detect frame n+1 while the model
 * worker runs the CNN and the GRU on frame n. The page starts both workers side by side and hands them the two ends
 * of one MessageChannel ('connect'); everything below but 'connect' travels over it.
 */
import type { CropSpec } from '../../core/preprocess.ts';
import type { FaceBox } from '../face/face-box.ts';
import type { CameraFrame } from './camera-frame.ts';

export interface FaceInit {
  readonly type: 'init';
  /** Folder of the tfjs wasm binaries (/vendor/tfjs/): the detector runs on TF.js's wasm kernels. */
  readonly tfjsWasmUrl: string;
  /** The detector's .tflite bytes, already verified. */
  readonly model: Uint8Array;
  readonly modelFile: string;
  /** Absent: detection only (no expression model, so no crop). */
  readonly cropSpec?: CropSpec;
}

export type ToFaceWorker =
  /** From the page: the face worker's end of its channel to the model worker, which every other message takes. */
  | { readonly type: 'connect'; readonly port: MessagePort }
  | FaceInit
  /** The face worker owns `frame` from here on and closes it. */
  | { readonly type: 'frame'; readonly frame: CameraFrame; readonly timestampMs: number }
  | { readonly type: 'dispose' };

/** One frame's first stage. */
export interface FaceStageResult {
  readonly faces: FaceBox[];
  /** Index in `faces` of the largest face; -1 when none. */
  readonly tracked: number;
  readonly width: number;
  readonly height: number;
  readonly detectorMs: number;
  /** ms to read the crop's pixels and preprocess them. */
  readonly cropMs: number;
  /** The model input cut from the tracked face (crop spec of the expression model); absent with no face or no model. */
  readonly input?: Float32Array;
}

export type FromFaceWorker =
  | { readonly type: 'ready' }
  | ({ readonly type: 'faces' } & FaceStageResult)
  /** `file`/`problem`: a runtime file of the app's own (a wasm binary or its loader) is at fault. */
  | {
      readonly type: 'error';
      readonly stage: 'init' | 'frame';
      readonly message: string;
      readonly file?: string;
      readonly problem?: string;
    };
