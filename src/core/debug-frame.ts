/**
 * One analysed frame as the app records it (src/app/live/frame-history.ts) and hands it out through its debug API
 * (`window.circumplex.frames()`, src/app/live/debug-api.ts). Type-only and defined once here, so the app, the
 * end-to-end tests and the benchmarks (harness/debug-api.ts) read the same record.
 */
import type { ValenceArousal } from './emotions.ts';

export interface DebugFrame {
  /** Frame number since the session started (1-based). */
  readonly n: number;
  /** performance.now() on the page when the result arrived. */
  readonly t: number;
  /** The video frame's time in the camera stream, seconds: a VideoFrame's own timestamp, else requestVideoFrameCallback's mediaTime (the same value). */
  readonly mediaTime: number | undefined;
  readonly faces: number;
  /** The analysed face's box in source pixels. */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | undefined;
  /** Whether the analysed face was found this frame. */
  readonly found: boolean;
  /** The readout (smoothed, temporal when loaded). */
  readonly va: ValenceArousal | undefined;
  /** The CNN's own valence/arousal this frame. */
  readonly cnn: ValenceArousal | undefined;
  /** The temporal model's raw output this frame (before smoothing), when one is loaded and ran. */
  readonly temporal: ValenceArousal | undefined;
  /** Frames in the temporal model's window behind this output: 1 on the first frame after a reset, 0 without one. */
  readonly coverage: number;
  /** Index of the most probable class (manifest label order), -1 without a face. */
  readonly top: number;
  readonly probs: readonly number[] | undefined;
  readonly stages: {
    readonly grab: number;
    readonly detect: number;
    readonly crop: number;
    readonly cnn: number;
    readonly gru: number;
    readonly worker: number;
    readonly total: number;
  };
  readonly numTensors: number;
  /** A face was analysed and its quality is within limits (face-quality.ts): dark, bright, tiny or uncertain faces are false. */
  readonly reliable: boolean;
  /** The key of the personal calibration that shaped the reading (personal-head.ts); undefined: the shipped model. */
  readonly profile: string | undefined;
}
