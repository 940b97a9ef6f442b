/**
 * Stage 1 of a frame, in the face worker (face-worker.ts): BlazeFace on the whole frame's pixels
 * (src/core/blazeface-detector.ts). Boxes are in the frame's own pixels, so the frame's size travels with them.
 */
import type { BlazefaceDetector } from '../../../core/blazeface-detection.ts';
import type { RawImage } from '../../../core/preprocess.ts';
import type { FaceBox } from '../../face/face-box.ts';

export interface DetectedFaces {
  readonly faces: FaceBox[];
  /** Source frame size in pixels: the coordinate space of `faces`. */
  readonly width: number;
  readonly height: number;
  /** Wall time of the detector call. */
  readonly detectorMs: number;
}

/** Faces as plain boxes with their roll (the keypoints stay in the face worker). */
export function detectFaces(detector: Pick<BlazefaceDetector, 'detect'>, image: RawImage): DetectedFaces {
  const start = performance.now();
  const faces = detector.detect(image).map(({ x, y, width, height, score, roll }) => ({ x, y, width, height, score, roll }));
  return { faces, detectorMs: performance.now() - start, width: image.width, height: image.height };
}
