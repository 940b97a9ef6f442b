/**
 * The app's face detector in Node: the same BlazeFace code the app's face worker runs (src/core/blazeface-detector.ts)
 * with the app's model (public/models/face_detector.tflite, checked against the manifest) and settings
 * (src/core/face-detector-options.ts), on the TF.js backend that is active (wasm when none is chosen yet). No browser.
 *
 * Boxes are the app's boxes (clipped to the image unless asked not to), in source pixels, ordered largest first
 * (the face a training crop is taken from).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { createBlazefaceDetector } from '../../src/core/blazeface-detector.ts';
import type { FaceBox } from '../../src/core/face-box.ts';
import { FACE_DETECTOR_MODEL_FILE, FACE_DETECTOR_SETTINGS } from '../../src/core/face-detector-options.ts';
import { modelForTask, parseManifest, verifyFile } from '../../src/core/manifest.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { readImage } from '../data/decode.ts';
import { DEFAULT_DETECTION_FIT, fitForDetection, toSourceBox } from './fit-for-detection.ts';
import type { DetectionFit } from './fit-for-detection.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The code that turns pixels into boxes: part of the box cache's key, so a change to it invalidates cached boxes. */
const DETECTOR_SOURCES = ['blazeface.ts', 'blazeface-detector.ts', 'tflite-graph.ts', 'tflite-run.ts'].map((f) =>
  path.join(REPO_ROOT, 'src/core', f),
);

export interface FaceDetectorOptions {
  /** How small images are enlarged and framed before detection (full frames are never changed). */
  readonly fit?: DetectionFit;
  /**
   * Clip boxes to the image, as the app does (default true). Off for crop calibration, where a box reaching
   * past a tight crop must keep its true size.
   */
  readonly clipToFrame?: boolean;
  /** Folder holding manifest.json and the detector model (default public/models). */
  readonly modelsDir?: string;
}

export interface TrainingFaceDetector {
  /** Faces per image, largest first, in the image's own pixels. Paths are decoded by training's decoders. */
  detect(images: readonly (RawImage | string)[]): Promise<FaceBox[][]>;
  close(): Promise<void>;
}

interface ResolvedOptions {
  readonly fit: DetectionFit;
  readonly clipToFrame: boolean;
  readonly modelsDir: string;
}

function resolveOptions(options: FaceDetectorOptions): ResolvedOptions {
  return {
    fit: options.fit ?? DEFAULT_DETECTION_FIT,
    clipToFrame: options.clipToFrame ?? true,
    modelsDir: options.modelsDir ?? path.join(REPO_ROOT, 'public/models'),
  };
}

/** The model bytes, verified against the manifest's size and sha256 (ModelFileError names the file otherwise). */
async function readVerifiedModel(modelsDir: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = parseManifest(await readFile(manifestFile, 'utf8'), manifestFile);
  const entry = modelForTask(manifest, 'face-detection', manifestFile);
  const file = entry.files.find((f) => f.path === FACE_DETECTOR_MODEL_FILE);
  if (!file) throw new Error(`${manifestFile}: the face-detection model does not list ${FACE_DETECTOR_MODEL_FILE}`);
  const bytes = new Uint8Array(await readFile(path.join(modelsDir, file.path)));
  await verifyFile({ ...file, path: path.join(modelsDir, file.path) }, bytes);
  return { bytes, sha256: file.sha256 };
}

/** Everything that changes the boxes (model, detector code, settings, fitting, clipping), hashed: the box cache's key. */
export async function detectorFingerprint(options: FaceDetectorOptions = {}): Promise<string> {
  const o = resolveOptions(options);
  const manifest = parseManifest(await readFile(path.join(o.modelsDir, 'manifest.json'), 'utf8'));
  const model = modelForTask(manifest, 'face-detection').files.find((f) => f.path === FACE_DETECTOR_MODEL_FILE);
  const code = createHash('sha256');
  for (const file of DETECTOR_SOURCES) code.update(await readFile(file));
  const key = { model: model?.sha256, code: code.digest('hex'), settings: FACE_DETECTOR_SETTINGS, fit: o.fit, clip: o.clipToFrame };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** A TF.js backend for the detector: the one already active, else wasm (the app's detector backend). */
async function ensureBackend(): Promise<void> {
  const engine = tf.engine();
  if (engine.backendName) return;
  if (!(await tf.setBackend('wasm'))) throw new Error('the face detector needs a TF.js backend and wasm did not start');
}

/** Loads the detector (well under a second). */
export async function createFaceDetector(options: FaceDetectorOptions = {}): Promise<TrainingFaceDetector> {
  const o = resolveOptions(options);
  const model = await readVerifiedModel(o.modelsDir);
  await ensureBackend();
  // Boxes are clipped once, to the source image, after the fitted image's border is mapped away.
  const detector = createBlazefaceDetector(model.bytes, path.join(o.modelsDir, FACE_DETECTOR_MODEL_FILE), { clip: false });
  return {
    async detect(inputs) {
      const results: FaceBox[][] = [];
      for (const input of inputs) {
        const image = typeof input === 'string' ? await readImage(input) : input;
        const fitted = fitForDetection(image, o.fit);
        const faces = detector.detect(fitted.image).map(({ x, y, width, height, score, roll }) => {
          // The roll survives the fitting unchanged: it is a uniform scale and a shift.
          const box = toSourceBox({ x, y, width, height, score, roll }, fitted);
          if (!o.clipToFrame) return box;
          const x0 = Math.max(0, box.x);
          const y0 = Math.max(0, box.y);
          const x1 = Math.min(image.width, box.x + box.width);
          const y1 = Math.min(image.height, box.y + box.height);
          return { ...box, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
        });
        results.push(
          faces.filter((f) => f.width > 0 && f.height > 0).sort((a, b) => b.width * b.height - a.width * a.height || b.score - a.score),
        );
      }
      return results;
    },
    async close() {
      detector.dispose();
    },
  };
}
