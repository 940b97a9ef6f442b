import { describe, expect, it } from 'vitest';
import { createFrameHistory } from './frame-history.ts';
import type { FrameRecord } from './frame-record.ts';

const record = (n: number, t: number, valence?: number): FrameRecord => ({
  n,
  t,
  mediaTime: undefined,
  profile: undefined,
  faces: valence === undefined ? 0 : 1,
  box: undefined,
  found: valence !== undefined,
  va: valence === undefined ? undefined : { valence, arousal: -valence },
  cnn: undefined,
  temporal: undefined,
  coverage: 0,
  top: -1,
  probs: undefined,
  stages: { grab: 0, detect: 0, crop: 0, cnn: 0, gru: 0, worker: 0, total: 0 },
  numTensors: 0,
  reliable: true,
});

describe('createFrameHistory', () => {
  it('keeps the newest `capacity` records, oldest first', () => {
    const h = createFrameHistory(3);
    for (let i = 1; i <= 5; i++) h.push(record(i, i * 10, 0));
    expect(h.records().map((r) => r.n)).toEqual([3, 4, 5]);
  });

  it('builds the trail from readings only and thins the timeline to 4 points per second within the window', () => {
    const h = createFrameHistory(1000);
    for (let i = 0; i < 300; i++) h.push(record(i + 1, i * 100, i % 10 === 0 ? undefined : i / 300));
    const now = 299 * 100;
    const { trail, timeline } = h.chart(now, 5, 10);
    expect(trail).toHaveLength(5);
    expect(trail.at(-1)).toEqual({ valence: 299 / 300, arousal: -299 / 300 });
    expect(timeline.every((p) => p.t >= -10 && p.t <= 0)).toBe(true);
    expect(timeline.length).toBeGreaterThanOrEqual(30);
    expect(timeline.length).toBeLessThanOrEqual(41);
  });
});
