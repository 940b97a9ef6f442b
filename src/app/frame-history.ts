/**
 * The recent per-frame readouts, kept outside the store in a fixed-size ring (no allocation growth over a
 * long session): the charts take snapshots of it a few times a second, and the debug API (debug-api.ts)
 * lets tests read it.
 */
import type { ValenceArousal } from '../core/emotions.ts';
import type { ChartData, TimelinePoint } from './store.ts';

export interface FrameRecord {
  /** Frame number since the session started (1-based). */
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

export interface FrameHistory {
  push(record: FrameRecord): void;
  /** Oldest first. */
  records(): FrameRecord[];
  /** Chart series as of `now` (performance.now()). */
  chart(now: number, trailLength: number, timelineSeconds: number): ChartData;
  clear(): void;
}

export function createFrameHistory(capacity: number): FrameHistory {
  const ring: (FrameRecord | undefined)[] = new Array<FrameRecord | undefined>(capacity).fill(undefined);
  let next = 0;
  let size = 0;
  const records = (): FrameRecord[] => {
    const out: FrameRecord[] = [];
    for (let i = 0; i < size; i++) out.push(ring[(next - size + i + capacity) % capacity]!);
    return out;
  };
  return {
    push(record) {
      ring[next] = record;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    records,
    chart(now, trailLength, timelineSeconds) {
      const all = records();
      const trail = all
        .filter((r) => r.va !== undefined)
        .slice(-trailLength)
        .map((r) => r.va!);
      const since = now - timelineSeconds * 1000;
      // At most ~4 points per second on the timeline: enough for a 60 s chart, cheap to draw.
      const timeline: TimelinePoint[] = [];
      let lastT = -Infinity;
      for (const r of all) {
        if (r.t < since || r.t - lastT < 250) continue;
        lastT = r.t;
        timeline.push({ t: (r.t - now) / 1000, valence: r.va?.valence ?? null, arousal: r.va?.arousal ?? null });
      }
      return { trail, timeline };
    },
    clear() {
      ring.fill(undefined);
      next = 0;
      size = 0;
    },
  };
}
