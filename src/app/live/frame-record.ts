/**
 * One processed live frame, built once by `buildLiveFrame` and handed to every listener (history, store,
 * recorder, baseline and personal calibration), so no listener rebuilds it from the store. It carries the
 * worker's result and the two views of it whose shapes others depend on: the history record (the debug API,
 * `window.circumplex.frames()`) and the recording row (the file formats); `reliable` is decided once, by the row.
 */
import type { DebugFrame } from '../../core/debug-frame.ts';
import type { FrameLatency as LoopLatency } from '../../features/pipeline/frame-loop.ts';
import type { FrameResult } from '../../features/pipeline/protocol.ts';
import { toFrameRow } from '../../features/recording/frame-row.ts';
import type { FrameRow } from '../../features/recording/schema.ts';
import type { FrameLatency } from '../store.ts';

/** The history's record of a frame: the debug API's frame, defined once in src/core. */
export type FrameRecord = DebugFrame;

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
