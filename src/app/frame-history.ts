/**
 * The recent per-frame readouts, kept outside the store in a fixed-size ring (no allocation growth over a
 * long session): the charts take snapshots of it a few times a second, and the debug API (debug-api.ts)
 * lets tests read it.
 */
import type { DebugFrame as FrameRecord } from '../core/debug-frame.ts';
import type { ChartData, TimelinePoint } from './store.ts';

export type { FrameRecord };

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
