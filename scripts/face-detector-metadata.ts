/**
 * Derives the app's offline face detector, public/models/face_detector.tflite, from the BlazeFace
 * short-range model that npm's @mediapipe/face_detection ships without TFLite metadata.
 *
 * @mediapipe/tasks-vision's FaceDetector refuses a float32 input without NormalizationOptions
 * ("Input tensor has type float32: it requires specifying NormalizationOptions metadata"); the values
 * are those of MediaPipe's published face_detector model: RGB, (pixel - 127.5) / 127.5, 128x128.
 * Only the short-range model matches the anchors hard-coded in the detector graph.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ModelEntry } from '../src/core/manifest.ts';
import { attachMetadata, buildImageInputMetadata } from './tflite-metadata.ts';
import type { ImageInputMetadata } from './tflite-metadata.ts';
import { fileEntryFor } from '../training/export/manifest-upsert.ts';

export const SOURCE_PACKAGE = '@mediapipe/face_detection';
export const SOURCE_FILE = 'face_detection_short_range.tflite';
export const DETECTOR_FILE = 'face_detector.tflite';
export const DETECTOR_NAME = 'face-detector';
const INPUT_SIZE = 128;

export const FACE_DETECTOR_METADATA: ImageInputMetadata = {
  modelName: 'BlazeFace (short-range)',
  modelDescription: 'Detects faces within about 2 m of the camera; outputs 896 anchor boxes with 6 keypoints and a score.',
  modelVersion: 'v1',
  author: 'Google LLC (MediaPipe)',
  license: 'Apache License, Version 2.0, https://www.apache.org/licenses/LICENSE-2.0',
  inputName: 'image',
  inputDescription: 'RGB image, 128x128, values (pixel - 127.5) / 127.5.',
  colorSpace: 'RGB',
  width: INPUT_SIZE,
  height: INPUT_SIZE,
  mean: [127.5],
  std: [127.5],
};

/** Pure: the shipped model bytes with the metadata the FaceDetector task needs. */
export function deriveFaceDetector(source: Uint8Array): Uint8Array {
  return attachMetadata(source, buildImageInputMetadata(FACE_DETECTOR_METADATA));
}

export interface SourceModel {
  readonly bytes: Uint8Array;
  readonly packageVersion: string;
}

/** Reads the source model from node_modules, or undefined when the package is not installed. */
export function readSourceModel(fromDir: string): SourceModel | undefined {
  const require = createRequire(path.join(fromDir, 'package.json'));
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return { bytes: new Uint8Array(readFileSync(path.join(path.dirname(pkgJson), SOURCE_FILE))), packageVersion: version };
}

/** The manifest entry for the derived file as it is on disk in `modelsDir`. */
export function faceDetectorManifestEntry(modelsDir: string, packageVersion: string): ModelEntry {
  return {
    name: DETECTOR_NAME,
    version: packageVersion,
    task: 'face-detection',
    format: 'tflite',
    entry: DETECTOR_FILE,
    input: { shape: [INPUT_SIZE, INPUT_SIZE, 3], channelOrder: 'rgb', normalisation: { scale: 1 / 127.5, offset: -1 } },
    outputs: [
      {
        name: 'regressors',
        size: 16,
        meaning: 'per anchor (896): box centre, size and 6 keypoints relative to the anchor; decoded by src/core/blazeface.ts',
      },
      { name: 'classificators', size: 1, meaning: 'per anchor (896): face score logit' },
    ],
    files: [fileEntryFor(modelsDir, DETECTOR_FILE)],
    quantization: 'float16',
    provenance: {
      data: `MediaPipe BlazeFace short-range, Apache-2.0 from npm ${SOURCE_PACKAGE}@${packageVersion} (${SOURCE_FILE}), TFLite metadata added by scripts/face-detector-metadata.ts`,
      command: 'node --import tsx scripts/prepare-assets.ts',
      licence: 'Apache-2.0',
    },
  };
}
