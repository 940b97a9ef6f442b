/** A pipeline result for the live session's tests: one face (or none), its quality issues, optional readout. */
import { EMOTIONS } from '../../core/emotions.ts';
import type { QualityIssue } from '../../features/inference/face-quality.ts';
import type { FrameResult } from '../../features/pipeline/protocol.ts';

export function testResult({
  face = true,
  issues = [],
  timestampMs = 1000,
  valence = 0.2,
  profile,
}: { face?: boolean; issues?: QualityIssue[]; timestampMs?: number; valence?: number; profile?: string } = {}): FrameResult {
  const probs = EMOTIONS.map((e) => (e === 'happy' ? 0.65 : 0.05));
  return {
    faces: face ? [{ x: 10, y: 20, width: 200, height: 210, score: 0.9 }] : [],
    tracked: face ? 0 : -1,
    width: 640,
    height: 480,
    detectorMs: 5,
    timestampMs,
    analysis: face
      ? {
          probs,
          cnn: { valence: 0.3, arousal: 0.1 },
          features: new Float32Array(300),
          ...(profile ? { profile } : {}),
          crop: new Uint8ClampedArray(4),
          cropSize: 2,
          quality: { sizePx: 200, sizeFraction: 0.4, brightness: 120, score: 0.9, issues },
        }
      : undefined,
    va: face ? { valence, arousal: -0.1 } : undefined,
    temporal: undefined,
    coverage: face ? 1 : 0,
    phase: face ? 'tracking' : 'reset',
    timings: { detect: 5, crop: 1, cnn: 6, gru: 2, total: 15 },
    numTensors: 42,
  };
}
