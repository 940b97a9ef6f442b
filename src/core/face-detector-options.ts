/**
 * The face detector's configuration, shared by the app's worker and by training's Chromium detector
 * (training/face/detect-in-chromium.ts), so faces are found and framed the same way in both.
 */

/** The model file in public/models (MediaPipe's short-range BlazeFace with TFLite metadata added). */
export const FACE_DETECTOR_MODEL_FILE = 'face_detector.tflite';

/** What MediaPipe's FaceDetector.createFromOptions receives besides the model bytes and running mode. */
export interface FaceDetectorSettings {
  /** 'CPU': ~12 ms per frame on 2 cores, where the GPU delegate on a software renderer (SwiftShader) takes ~150 ms. */
  readonly delegate: 'CPU' | 'GPU';
  /** Detections below this score are dropped (MediaPipe's default 0.5). */
  readonly minDetectionConfidence: number;
  /** Overlap (IoU) above which non-maximum suppression merges two detections (MediaPipe's default 0.3). */
  readonly minSuppressionThreshold: number;
}

export const FACE_DETECTOR_SETTINGS: FaceDetectorSettings = {
  delegate: 'CPU',
  minDetectionConfidence: 0.5,
  minSuppressionThreshold: 0.3,
};
