/**
 * Stage 8, in the model worker, for a frame with a face: what the page is told about the analysed face besides the
 * readout: the model's outputs, the crop it saw (the debug panel draws it) and how far the reading can be trusted
 * (face-quality.ts: size, the crop's brightness, the detector's score).
 */
import type { CropSpec } from '../../../core/preprocess.ts';
import type { FaceBox } from '../../face/face-box.ts';
import { qualityIssues } from '../../inference/face-quality.ts';
import type { Analysis, FaceQuality } from '../protocol.ts';
import type { ExpressionReading } from './4-expression.ts';

/** The model input back in 0..255 gray, and its mean gray level. */
export function cropToBytes(input: Float32Array, spec: CropSpec): { crop: Uint8ClampedArray; mean: number } {
  const { scale, offset } = spec.normalisation;
  const crop = new Uint8ClampedArray(input.length);
  let sum = 0;
  for (let i = 0; i < input.length; i++) {
    const v = ((input[i] ?? 0) - offset) / scale;
    crop[i] = v;
    sum += v;
  }
  return { crop, mean: sum / input.length };
}

/** `width`, `height`: the frame's size, the space of `face`. */
export function faceQuality(face: FaceBox, width: number, height: number, brightness: number): FaceQuality {
  const sizePx = Math.max(face.width, face.height);
  return {
    sizePx,
    sizeFraction: sizePx / Math.min(width, height),
    brightness,
    score: face.score,
    issues: qualityIssues({ sizePx, brightness, score: face.score }),
  };
}

export interface AnalysedFace {
  readonly face: FaceBox;
  /** The frame's size. */
  readonly width: number;
  readonly height: number;
  /** The crop stage 4 read (stage 3's output). */
  readonly input: Float32Array;
  readonly spec: CropSpec;
}

export function describeAnalysis(reading: ExpressionReading, analysed: AnalysedFace): Analysis {
  const { shipped, output, profile } = reading;
  const { crop, mean } = cropToBytes(analysed.input, analysed.spec);
  return {
    probs: Array.from(output.probs),
    cnn: output.va,
    features: shipped.features,
    ...(profile ? { profile: profile.key, shipped: { probs: Array.from(shipped.probs), va: shipped.va } } : {}),
    crop,
    cropSize: analysed.spec.size,
    quality: faceQuality(analysed.face, analysed.width, analysed.height, mean),
  };
}
