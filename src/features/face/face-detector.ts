/**
 * The MediaPipe FaceDetector, loaded entirely from the app's own origin: the tasks-vision wasm from
 * /vendor/mediapipe (copied there by scripts/prepare-assets.ts) and the model bytes the caller has
 * already fetched and checked against the manifest.
 */
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import { toFaceBoxes } from '../../core/face-box.ts';
import type { FaceBox } from '../../core/face-box.ts';
import { FACE_DETECTOR_SETTINGS } from '../../core/face-detector-options.ts';
import { createMonotonicClock } from './monotonic-clock.ts';

export interface FaceDetectorConfig {
  /** Absolute URL of the folder holding vision_wasm_*_internal.{js,wasm}. */
  readonly wasmBaseUrl: string;
  /** The .tflite bytes (face_detector.tflite), already verified. */
  readonly model: Uint8Array;
  /** Detections below this score are dropped (default: FACE_DETECTOR_SETTINGS, shared with training). */
  readonly minScore?: number;
  /**
   * Load the ES-module build of the wasm loader: required inside a module worker, where
   * importScripts() is unavailable and the classic loader's global would stay module-scoped.
   */
  readonly moduleLoader: boolean;
}

export interface FaceDetection {
  readonly faces: FaceBox[];
  /** Wall time of the detector call. */
  readonly detectorMs: number;
}

export interface FaceDetectorHandle {
  /** Detects faces in one video frame; timestamps are forced strictly increasing. */
  detect(frame: ImageBitmap, timestampMs: number): FaceDetection;
  dispose(): void;
}

/** The detector did not start; `runtimeFiles` are the wasm loader and binary it tried (wasm-check.ts says which is broken). */
export class FaceDetectorStartError extends Error {
  readonly runtimeFiles: readonly string[];
  constructor(runtimeFiles: readonly string[], cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'FaceDetectorStartError';
    this.runtimeFiles = runtimeFiles;
  }
}

export async function createFaceDetector(config: FaceDetectorConfig): Promise<FaceDetectorHandle> {
  const fileset = await FilesetResolver.forVisionTasks(config.wasmBaseUrl, config.moduleLoader);
  let detector: FaceDetector;
  try {
    detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: config.model, delegate: FACE_DETECTOR_SETTINGS.delegate },
      runningMode: 'VIDEO',
      minDetectionConfidence: config.minScore ?? FACE_DETECTOR_SETTINGS.minDetectionConfidence,
      minSuppressionThreshold: FACE_DETECTOR_SETTINGS.minSuppressionThreshold,
    });
  } catch (e) {
    throw new FaceDetectorStartError([fileset.wasmLoaderPath, fileset.wasmBinaryPath], e);
  }
  const clock = createMonotonicClock();
  return {
    detect(frame, timestampMs) {
      const start = performance.now();
      const result = detector.detectForVideo(frame, clock(timestampMs));
      const detectorMs = performance.now() - start;
      return { faces: toFaceBoxes(result.detections, frame.width, frame.height), detectorMs };
    },
    dispose() {
      detector.close();
    },
  };
}
