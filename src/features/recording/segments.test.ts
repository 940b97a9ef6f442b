import { describe, expect, it } from 'vitest';
import { computeBaseline, relativeToBaseline } from './baseline.ts';
import { segmentLabelAt, summariseSegments } from './segments.ts';
import { frameAt, sampleRecording } from './test-recording.ts';

describe('summariseSegments', () => {
  it('splits at markers and summarises each segment', () => {
    const segments = summariseSegments(sampleRecording());
    expect(segments.map((s) => [s.label, s.firstFrame, s.endFrame, s.readings])).toEqual([
      ['start', 0, 2, 2],
      ['stimulus, "A"', 2, 4, 1],
      ['line\nbreak', 4, 6, 2],
    ]);
    const [start, a, b] = segments as [(typeof segments)[0], (typeof segments)[0], (typeof segments)[0]];
    expect(start.valence!.mean).toBeCloseTo(0.25, 12);
    expect(start.valence!.sd).toBeCloseTo(0.05, 12);
    expect(start.arousal!.mean).toBeCloseTo(-0.05, 12);
    expect(start.relative!.valence).toBeCloseTo(0.25 - 0.1, 12);
    expect(a.frames).toBe(2);
    expect(a.valence).toEqual({ mean: 0.5, sd: 0 });
    expect(b.topCategory).toBe('anger');
    expect(b.endMs).toBe(400.125);
  });

  it('has no empty "start" segment when the first marker opens the recording, and one segment without markers', () => {
    const r = { ...sampleRecording(), markers: [{ t: 0, label: 'go' }] };
    expect(summariseSegments(r).map((s) => s.label)).toEqual(['go']);
    expect(summariseSegments({ ...r, markers: [] }).map((s) => [s.label, s.frames])).toEqual([['start', 6]]);
  });

  it('leaves the means undefined for a segment without readings', () => {
    const r = { ...sampleRecording(), frames: [frameAt(0, null, null)], markers: [], baseline: null };
    const [s] = summariseSegments(r);
    expect(s!.valence).toBeUndefined();
    expect(s!.topCategory).toBeUndefined();
    expect(s!.relative).toBeUndefined();
  });

  it('labels times by the latest marker at or before them', () => {
    const markers = [
      { t: 50, label: 'b' },
      { t: 10, label: 'a' },
    ];
    expect([0, 10, 49, 50, 99].map((t) => segmentLabelAt(markers, t))).toEqual(['', 'a', 'a', 'b', 'b']);
  });
});

describe('baseline', () => {
  it('is the mean and spread of the resting readings, and readings are reported relative to its mean', () => {
    const frames = [frameAt(0, 0.1, 0.3), frameAt(10, null, null), frameAt(20, 0.3, 0.1)];
    const b = computeBaseline(frames, 2000)!;
    expect(b.frames).toBe(2);
    expect(b.durationMs).toBe(2000);
    expect(b.valence.mean).toBeCloseTo(0.2, 12);
    expect(b.valence.sd).toBeCloseTo(0.1, 12);
    expect(relativeToBaseline(0.5, 'valence', b)).toBeCloseTo(0.3, 12);
    expect(relativeToBaseline(0.5, 'arousal', b)).toBeCloseTo(0.3, 12);
    expect(relativeToBaseline(null, 'valence', b)).toBeNull();
    expect(relativeToBaseline(0.5, 'valence', null)).toBeNull();
    expect(computeBaseline([frameAt(0, null, null)], 1000)).toBeUndefined();
  });
});
