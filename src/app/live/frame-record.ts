/**
 * One processed live frame, built once by `buildLiveFrame` and handed to every listener (history, store,
 * recorder, baseline and personal calibration), so no listener rebuilds it from the store. It carries the
 * worker's result and the two views of it whose shapes others depend on: the history record (the debug API,
 * `window.circumplex.frames()`) and the recording row (the file formats); `reliable` is decided once, by the row.
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import type { FrameLatency as LoopLatency } from '../../features/pipeline/frame-loop.ts';
import type { FrameResult } from '../../features/pipeline/protocol.ts';
import { toFrameRow } from '../../features/recording/frame-row.ts';
import type { FrameRow } from '../../features/recording/schema.ts';
import type { FrameLatency } from '../store.ts';

export interface FrameRecord {
  /** Frame number since the live session started (1-based). */
  readonly n: number;
  /** performance.now() on the page when the result arrived. */
  readonly t: number;
  /** The video frame's time in the camera stream (requestVideoFrameCallback's mediaTime), seconds. */
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
  readonly stages: { readonly grab: number; readonly detect: number; readonly crop: number; readonly cnn: number; readonly gru: number; readonly worker: number; readonly total: number };
  readonly numTensors: number;
  /** A face was analysed and its quality is within limits (face-quality.ts): dark, bright, tiny or uncertain faces are false. */
  readonly reliable: boolean;
  /** The key of the personal calibration that shaped the reading (personal-head.ts); undefined: the shipped model. */
  readonly profile: string | undefined;
}

export interface LiveFrame {
  /** The worker's full result (the overlay, the crop preview and the personal capture need all of it). */
  readonly result: FrameResult;
  /** Page-side milliseconds of this frame. */
  readonly latency: FrameLatency;
  /** What the history keeps for the charts and the debug API. */
  readonly record: FrameRecord;
  /** The frame as a recording row, `t` being the frame's timestamp (performance.now() ms): a recorder shifts it to its own origin. */
  readonly row: FrameRow;
}

export interface FrameContext {
  /** The frame's number since the live session started (1-based). */
  readonly n: number;
  /** performance.now() when the result arrived. */
  readonly now: number;
  /** The backend the worker ran on, for the recording row. */
  readonly backend: string | undefined;
}

const topClass = (probs: readonly number[] | undefined): number => (probs ? probs.indexOf(Math.max(...probs)) : -1);

export function buildLiveFrame(result: FrameResult, { mediaTime, ...latency }: LoopLatency, { n, now, backend }: FrameContext): LiveFrame {
  const analysed = result.analysis;
  const row = toFrameRow(result, result.timestampMs, backend);
  const record: FrameRecord = {
    n,
    t: now,
    mediaTime,
    faces: result.faces.length,
    box: result.faces[result.tracked],
    found: result.tracked >= 0,
    va: result.va,
    cnn: analysed?.cnn,
    temporal: result.temporal,
    coverage: result.coverage,
    top: topClass(analysed?.probs),
    probs: analysed?.probs,
    stages: { grab: latency.grab, ...result.timings, worker: result.timings.total, total: latency.total },
    numTensors: result.numTensors,
    reliable: row.reliable,
    profile: analysed?.profile,
  };
  return { result, latency, record, row };
}
