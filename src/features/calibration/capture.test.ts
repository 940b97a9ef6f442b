import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import type { FaceBox } from '../face/face-box.ts';
import type { QualityIssue } from '../inference/face-quality.ts';
import type { FrameResult } from '../pipeline/protocol.ts';
import { addFrame, CAPTURE_DEFAULTS, ready, retryStep, startCapture, tick, type CaptureState } from './capture.ts';

const box = (x: number): FaceBox => ({ x, y: 100, width: 200, height: 200, score: 0.9 });

let clock = 0;
function result(faces: FaceBox[], issues: QualityIssue[] = [], personal = false, timestampMs = (clock += 300)): FrameResult {
  const probs = EMOTIONS.map((e) => (e === 'neutral' ? 0.65 : 0.05));
  return {
    faces,
    tracked: faces.length ? 0 : -1,
    width: 640,
    height: 480,
    detectorMs: 5,
    timestampMs,
    analysis: faces.length
      ? {
          probs: personal ? EMOTIONS.map(() => 1 / 8) : probs,
          cnn: personal ? { valence: 0.9, arousal: 0.9 } : { valence: 0.1, arousal: -0.1 },
          features: Float32Array.from({ length: 300 }, (_, i) => i % 7),
          ...(personal ? { profile: 'p1:abc' } : {}),
          ...(personal ? { shipped: { probs, va: { valence: 0.1, arousal: -0.1 } } } : {}),
          crop: new Uint8ClampedArray(4),
          cropSize: 2,
          quality: { sizePx: 200, sizeFraction: 0.4, brightness: 120, score: 0.9, issues },
        }
      : undefined,
    va: undefined,
    temporal: undefined,
    coverage: 0,
    phase: 'tracking',
    timings: { detect: 5, crop: 1, cnn: 5, gru: 1, total: 12 },
    numTensors: 0,
  };
}

/** Runs one step: ready, countdown, then `frames` good frames 200 ms apart and a tick at the end of the hold. */
function captureStep(state: CaptureState, t0: number, frames: number): { state: CaptureState; t: number } {
  let s = tick(ready(state, t0), t0 + CAPTURE_DEFAULTS.countdownMs);
  let t = t0 + CAPTURE_DEFAULTS.countdownMs;
  for (let i = 0; i < frames; i++) {
    t += 200;
    s = addFrame(s, result([box(100)]));
    s = tick(s, t);
  }
  t = Math.max(t, t0 + CAPTURE_DEFAULTS.countdownMs + CAPTURE_DEFAULTS.holdMs);
  return { state: tick(s, t), t };
}

describe('calibration capture', () => {
  it('asks for each expression in turn and keeps clear frames labelled with the expression asked for', () => {
    let s = startCapture(0, false);
    expect(s.phase === 'waiting' && s.steps.map((x) => x.emotion)).toEqual(['neutral', 'happy', 'surprise', 'sad', 'anger']);
    // Nothing starts until the person is ready; frames before the capture are judged (for the cue) but not kept.
    expect(tick(s, 60_000).phase).toBe('waiting');
    s = addFrame(ready(s, 0), result([box(100)]));
    expect(s.phase === 'countdown' && s.frames.length).toBe(0);
    s = addFrame(s, result([box(100)]));
    let t = 0;
    for (let i = 0; i < 5; i++) ({ state: s, t } = captureStep(s, t, 6));
    expect(s.phase).toBe('captured');
    expect(s.frames.map((f) => f.label)).toEqual(['neutral', 'happy', 'surprise', 'sad', 'anger'].flatMap((e) => Array(6).fill(e)));
    expect(s.frames[0]!.features).toHaveLength(300);
  });

  it('keeps the shipped outputs, not a personal correction, as what the new calibration corrects', () => {
    let s = tick(ready(startCapture(0, false), 0), CAPTURE_DEFAULTS.countdownMs);
    s = addFrame(s, result([box(100)], [], true));
    const f = s.phase === 'capturing' ? s.frames[0]! : undefined;
    expect(f?.probs[0]).toBeCloseTo(0.65, 6);
    expect(f?.va).toEqual([0.1, -0.1]);
  });

  it('does not keep frames without one clear, still face, and says why', () => {
    let s = tick(ready(startCapture(0, true), 0), CAPTURE_DEFAULTS.countdownMs);
    const cue = (st: CaptureState): unknown => (st.phase === 'capturing' ? st.cue : st.phase);
    s = addFrame(s, result([]));
    expect(cue(s)).toBe('no-face');
    s = addFrame(s, result([box(100), box(400)]));
    expect(cue(s)).toBe('several-faces');
    s = addFrame(s, result([box(100)], ['dark']));
    expect(cue(s)).toBe('low-quality');
    s = addFrame(s, result([box(150)]));
    expect(cue(s)).toBe('hold-still');
    s = addFrame(s, result([box(152)]));
    expect(cue(s)).toBe('kept');
    expect(s.phase === 'capturing' && s.frames.length).toBe(1);
    // A fast camera: frames closer than minGapMs to the last kept one are not kept.
    s = addFrame(s, result([box(152)], [], false, clock + 10));
    expect(s.phase === 'capturing' && s.frames.length).toBe(1);
  });

  it('a step without enough clear frames fails with a reason; retrying it keeps the earlier expressions', () => {
    let s: CaptureState = startCapture(0, false);
    let t = 0;
    ({ state: s, t } = captureStep(s, t, 6));
    s = tick(ready(s, t), t + CAPTURE_DEFAULTS.countdownMs);
    s = addFrame(s, result([]));
    s = tick(s, t + CAPTURE_DEFAULTS.countdownMs + CAPTURE_DEFAULTS.maxHoldMs);
    expect(s.phase).toBe('failed');
    expect(s.phase === 'failed' && s.message).toMatch(/0 of 4 clear frames of "happy": no face was found/);
    s = retryStep(s, 50_000);
    expect(s.phase === 'waiting' && s.steps[s.index]!.emotion).toBe('happy');
    expect(s.phase === 'waiting' && s.frames.every((f) => f.label === 'neutral') && s.frames.length).toBe(6);
  });
});
