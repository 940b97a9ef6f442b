import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Baseline } from '../../features/recording/schema.ts';
import { buildLiveFrame } from '../live/frame-record.ts';
import { testResult } from '../live/test-frame.ts';
import { createBaselineCapture } from './baseline-capture.ts';
import type { CalibrationState } from './baseline-capture.ts';

const liveFrame = (timestampMs: number, face = true) =>
  buildLiveFrame(
    testResult({ timestampMs, face, valence: timestampMs / 10_000 }),
    { grab: 1, total: 20, mediaTime: undefined },
    { n: 1, now: timestampMs, backend: 'wasm' },
  );

function capture() {
  const states: CalibrationState[] = [];
  const baselines: Baseline[] = [];
  const baseline = createBaselineCapture({ onState: (s) => states.push(s), onBaseline: (b) => baselines.push(b) });
  return { baseline, states, baselines };
}

afterEach(() => vi.restoreAllMocks());

describe('createBaselineCapture', () => {
  it('averages the live frames of the next few seconds into a baseline, counting them as they come', () => {
    const { baseline, states, baselines } = capture();
    vi.spyOn(performance, 'now').mockReturnValue(1000);
    baseline.add(liveFrame(900));
    baseline.start(2);
    baseline.start(5);
    baseline.add(liveFrame(1500));
    baseline.add(liveFrame(2500));
    baseline.add(liveFrame(3000));
    baseline.add(liveFrame(3500));
    expect(states).toEqual([
      { status: 'running', seconds: 2, frames: 0 },
      { status: 'running', seconds: 2, frames: 1 },
      { status: 'running', seconds: 2, frames: 2 },
    ]);
    expect(baselines).toHaveLength(1);
    expect(baselines[0]).toMatchObject({ durationMs: 2000, frames: 3 });
    expect(baselines[0]!.valence.mean).toBeCloseTo((0.15 + 0.25 + 0.3) / 3);
  });

  it('fails when no face was read, and can start again', () => {
    const { baseline, states, baselines } = capture();
    vi.spyOn(performance, 'now').mockReturnValue(0);
    baseline.start(1);
    baseline.add(liveFrame(1000, false));
    expect(baselines).toEqual([]);
    expect(states.at(-1)).toMatchObject({ status: 'failed' });
    baseline.start(1);
    expect(states.at(-1)).toEqual({ status: 'running', seconds: 1, frames: 0 });
  });
});
