/** Messages between the page and the detection worker. */
import type { FaceBox } from '../face/face-box.ts';

export type ToWorker =
  | { readonly type: 'init'; readonly wasmBaseUrl: string; readonly model: Uint8Array; readonly modelFile: string }
  /** The worker owns `frame` from here on and closes it. */
  | { readonly type: 'frame'; readonly frame: ImageBitmap; readonly timestampMs: number }
  | { readonly type: 'dispose' };

export interface FrameResult {
  readonly faces: FaceBox[];
  /** Source frame size in pixels: the coordinate space of `faces`. */
  readonly width: number;
  readonly height: number;
  readonly detectorMs: number;
  readonly timestampMs: number;
}

export type FromWorker =
  | { readonly type: 'ready' }
  | ({ readonly type: 'result' } & FrameResult)
  | { readonly type: 'error'; readonly stage: 'init' | 'frame'; readonly message: string };
