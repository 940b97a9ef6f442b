/**
 * The participant's baseline: the live frames of the next few seconds are collected and averaged
 * (features/recording/baseline.ts) into the valence/arousal readings are compared with.
 */
import { computeBaseline } from '../../features/recording/baseline.ts';
import type { Baseline, FrameRow } from '../../features/recording/schema.ts';
import type { LiveFrame } from '../live/frame-record.ts';

export type CalibrationState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly seconds: number; readonly frames: number }
  | { readonly status: 'failed'; readonly message: string };

export interface BaselineCapture {
  /** Collects the live frames of the next `seconds`; ignored while a capture runs. */
  start(seconds: number): void;
  /** Takes a live frame into the capture running now, if any. */
  add(frame: LiveFrame): void;
}

export interface BaselineEvents {
  readonly onState: (calibration: CalibrationState) => void;
  /** The capture read a face: its baseline. */
  readonly onBaseline: (baseline: Baseline) => void;
}

export function createBaselineCapture({ onState, onBaseline }: BaselineEvents): BaselineCapture {
  /** The frames so far, their `t` the frame's timestamp; undefined when no capture runs. */
  let rows: FrameRow[] | undefined;
  let startedAt = 0;
  let endsAt = 0;
  let seconds = 0;

  const finish = (captured: readonly FrameRow[]): void => {
    rows = undefined;
    const baseline = computeBaseline(captured, endsAt - startedAt);
    if (baseline) onBaseline(baseline);
    else onState({ status: 'failed', message: 'No face was read during the calibration: face the camera and try again.' });
  };

  return {
    start(duration) {
      if (rows) return;
      rows = [];
      seconds = duration;
      startedAt = performance.now();
      endsAt = startedAt + duration * 1000;
      onState({ status: 'running', seconds, frames: 0 });
    },
    add({ row }) {
      if (!rows) return;
      rows.push(row);
      if (row.t >= endsAt) finish(rows);
      else onState({ status: 'running', seconds, frames: rows.length });
    },
  };
}
