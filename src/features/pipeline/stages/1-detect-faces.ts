/**
 * Stage 1 of a frame, in the face worker (face-worker.ts): MediaPipe BlazeFace on the whole frame
 * (src/features/face/face-detector.ts; timestamps forced increasing, as MediaPipe's VIDEO mode requires).
 * Boxes are in the frame's own pixels, so the frame's size travels with them.
 */
import type { FaceDetection, FaceDetectorHandle } from '../../face/face-detector.ts';

export interface DetectedFaces extends FaceDetection {
  /** Source frame size in pixels: the coordinate space of `faces`. */
  readonly width: number;
  readonly height: number;
}

export function detectFaces(detector: Pick<FaceDetectorHandle, 'detect'>, frame: ImageBitmap, timestampMs: number): DetectedFaces {
  const { faces, detectorMs } = detector.detect(frame, timestampMs);
  return { faces, detectorMs, width: frame.width, height: frame.height };
}
