/**
 * The app's face detector: BlazeFace short-range (public/models/face_detector.tflite) run by TF.js on the active
 * backend, with MediaPipe's pre- and post-processing (blazeface.ts). The same code runs in the app's face worker
 * and in training (Node), so a training crop is framed exactly as a live one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BLAZEFACE_INPUT_SIZE, blazefaceAnchors, blazefaceInput, decodeBlazeface } from './blazeface.ts';
import type { DetectedFace } from './blazeface.ts';
import { FACE_DETECTOR_SETTINGS } from './face-detector-options.ts';
import type { RawImage } from './preprocess.ts';
import { readTfliteGraph } from './tflite-graph.ts';
import { createTfliteModel } from './tflite-run.ts';

export interface BlazefaceDetector {
  /** Faces in the image's own pixels, highest score first. */
  detect(image: RawImage): DetectedFace[];
  dispose(): void;
}

export interface BlazefaceDetectorOptions {
  /** Detections below this score are dropped (default FACE_DETECTOR_SETTINGS.minDetectionConfidence). */
  readonly minScore?: number;
  /** Clip boxes to the image (default true, as the app does). */
  readonly clip?: boolean;
}

/** Builds the detector from the .tflite bytes; `what` names the file in errors. */
export function createBlazefaceDetector(modelBytes: Uint8Array, what: string, options: BlazefaceDetectorOptions = {}): BlazefaceDetector {
  const graph = readTfliteGraph(modelBytes, what);
  const expected = [1, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE, 3];
  const inputShape = graph.tensors[graph.inputs[0] ?? -1]?.shape ?? [];
  if (inputShape.join('x') !== expected.join('x'))
    throw new Error(`${what}: input shape ${inputShape.join('x')}, expected ${expected.join('x')} (BlazeFace short-range)`);
  if (graph.outputs.length !== 2) throw new Error(`${what}: ${graph.outputs.length} outputs, expected 2 (boxes and scores)`);
  const model = createTfliteModel(graph);
  const anchors = blazefaceAnchors();
  const decodeOptions = {
    minScore: options.minScore ?? FACE_DETECTOR_SETTINGS.minDetectionConfidence,
    nmsThreshold: FACE_DETECTOR_SETTINGS.minSuppressionThreshold,
    clip: options.clip ?? true,
  };
  return {
    detect(image) {
      const { input, letterbox } = blazefaceInput(image);
      const x = tf.tensor4d(input, [1, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE, 3]);
      const outputs = model.run(x);
      x.dispose();
      try {
        const [regressors, scores] = outputs.map((t) => t.dataSync());
        if (!regressors || !scores) throw new Error(`${what}: the model gave no output`);
        return decodeBlazeface(regressors, scores, letterbox, image, decodeOptions, anchors);
      } finally {
        tf.dispose(outputs);
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
