/**
 * BlazeFace short-range (public/models/face_detector.tflite) as a face detector, whatever runs the graph: MediaPipe's
 * pre- and post-processing (blazeface.ts) around a function that runs the network on its 128x128 input. TF.js runs
 * it in training (blazeface-detector.ts), TF.js's wasm kernels called directly in the app's face worker
 * (blazeface-wasm-detector.ts): the same pixels in, the same boxes out.
 */
import { BLAZEFACE_INPUT_SIZE, blazefaceAnchors, blazefaceInput, decodeBlazeface } from './blazeface.ts';
import type { DetectedFace } from './blazeface.ts';
import { FACE_DETECTOR_SETTINGS } from './face-detector-options.ts';
import type { RawImage } from './preprocess.ts';
import type { TfliteGraph } from './tflite-graph.ts';

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

/** `graph` if it is BlazeFace short-range's (one 1x128x128x3 input, boxes and scores out); throws naming `what`. */
export function checkBlazefaceGraph(graph: TfliteGraph, what: string): TfliteGraph {
  const expected = [1, BLAZEFACE_INPUT_SIZE, BLAZEFACE_INPUT_SIZE, 3];
  const inputShape = graph.tensors[graph.inputs[0] ?? -1]?.shape ?? [];
  if (inputShape.join('x') !== expected.join('x'))
    throw new Error(`${what}: input shape ${inputShape.join('x')}, expected ${expected.join('x')} (BlazeFace short-range)`);
  if (graph.outputs.length !== 2) throw new Error(`${what}: ${graph.outputs.length} outputs, expected 2 (boxes and scores)`);
  return graph;
}

/** The detector around `run` (the network: its input in, its [boxes, scores] out); `dispose` frees what runs it. */
export function blazefaceDetectorOn(
  run: (input: Float32Array) => Float32Array[],
  dispose: () => void,
  what: string,
  options: BlazefaceDetectorOptions = {},
): BlazefaceDetector {
  const anchors = blazefaceAnchors();
  const decodeOptions = {
    minScore: options.minScore ?? FACE_DETECTOR_SETTINGS.minDetectionConfidence,
    nmsThreshold: FACE_DETECTOR_SETTINGS.minSuppressionThreshold,
    clip: options.clip ?? true,
  };
  return {
    detect(image) {
      const { input, letterbox } = blazefaceInput(image);
      const [regressors, scores] = run(input);
      if (!regressors || !scores) throw new Error(`${what}: the model gave no output`);
      return decodeBlazeface(regressors, scores, letterbox, image, decodeOptions, anchors);
    },
    dispose,
  };
}
