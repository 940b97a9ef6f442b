import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import { buildLiveFrame } from './frame-record.ts';
import { testResult } from './test-frame.ts';

const latency = { grab: 2, total: 30, mediaTime: 1.5 };

describe('buildLiveFrame', () => {
  it('builds the history record the debug API exposes, with page and worker stage timings', () => {
    const { record, latency: pageLatency } = buildLiveFrame(testResult({ profile: 'p1:abc' }), latency, {
      n: 7,
      now: 5000,
      backend: 'webgl',
    });
    expect(record).toEqual({
      n: 7,
      t: 5000,
      mediaTime: 1.5,
      faces: 1,
      box: { x: 10, y: 20, width: 200, height: 210, score: 0.9 },
      found: true,
      va: { valence: 0.2, arousal: -0.1 },
      cnn: { valence: 0.3, arousal: 0.1 },
      temporal: undefined,
      coverage: 1,
      top: EMOTIONS.indexOf('happy'),
      probs: expect.any(Array) as unknown,
      stages: { grab: 2, detect: 5, crop: 1, cnn: 6, gru: 2, worker: 15, total: 30 },
      numTensors: 42,
      reliable: true,
      profile: 'p1:abc',
    });
    expect(Object.keys(record)).toEqual([
      'n',
      't',
      'mediaTime',
      'faces',
      'box',
      'found',
      'va',
      'cnn',
      'temporal',
      'coverage',
      'top',
      'probs',
      'stages',
      'numTensors',
      'reliable',
      'profile',
    ]);
    expect(pageLatency).toEqual({ grab: 2, total: 30 });
  });

  it('builds the recording row on the frame clock, with the backend, once for every listener', () => {
    const frame = buildLiveFrame(testResult({ timestampMs: 1234 }), latency, { n: 1, now: 5000, backend: 'wasm' });
    expect(frame.row).toMatchObject({
      t: 1234,
      valence: 0.2,
      arousal: -0.1,
      cnnValence: 0.3,
      cnnArousal: 0.1,
      faces: 1,
      quality: [],
      reliable: true,
      backend: 'wasm',
    });
    expect(frame.row.box).toEqual({ x: 10, y: 20, width: 200, height: 210 });
  });

  it('decides reliability once: a face with quality issues is unreliable in the record and the row alike', () => {
    const frame = buildLiveFrame(testResult({ issues: ['dark'] }), latency, { n: 1, now: 0, backend: undefined });
    expect(frame.record.reliable).toBe(false);
    expect(frame.row.reliable).toBe(false);
    expect(frame.row.quality).toEqual(['dark']);
  });

  it('reads no face as not found, no top class and unreliable', () => {
    const { record, row } = buildLiveFrame(testResult({ face: false }), latency, { n: 1, now: 0, backend: undefined });
    expect(record).toMatchObject({
      faces: 0,
      box: undefined,
      found: false,
      top: -1,
      probs: undefined,
      reliable: false,
      profile: undefined,
    });
    expect(row).toMatchObject({ valence: null, probs: null, box: null, backend: null, reliable: false });
  });
});
