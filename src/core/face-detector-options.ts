/**
 * The face detector's configuration, shared by the app's face worker and by training's detector
 * (training/face/detect-in-node.ts), so faces are found and framed the same way in both.
 */

/** The model file in public/models (MediaPipe's short-range BlazeFace with TFLite metadata added). */
export const FACE_DETECTOR_MODEL_FILE = 'face_detector.tflite';

/** How detections are kept (src/core/blazeface.ts): MediaPipe's face detection graph's values. */
export interface FaceDetectorSettings {
  /** Detections below this score are dropped (MediaPipe's default 0.5). */
  readonly minDetectionConfidence: number;
  /** Overlap (IoU) above which non-maximum suppression merges two detections (MediaPipe's default 0.3). */
  readonly minSuppressionThreshold: number;
}

export const FACE_DETECTOR_SETTINGS: FaceDetectorSettings = {
  minDetectionConfidence: 0.5,
  minSuppressionThreshold: 0.3,
};
