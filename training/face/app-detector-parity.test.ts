/**
 * The app's face detector (src/core/blazeface-wasm-detector.ts: TF.js's wasm kernels called directly, in the face
 * worker) against training's (src/core/blazeface-detector.ts on TF.js's wasm backend): the same faces, boxes and
 * scores on real CK+ and JAFFE images, so a live crop is framed as a training crop is.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlazefaceDetector } from '../../src/core/blazeface-detector.ts';
import type { BlazefaceDetector } from '../../src/core/blazeface-detection.ts';
import { createBlazefaceWasmDetector } from '../../src/core/blazeface-wasm-detector.ts';
import { startWasmKernels } from '../../src/core/wasm-kernel-calls.ts';
import { readImage } from '../data/decode.ts';
import { REPO_ROOT } from './detect-faces.ts';

const SHARED = path.resolve(REPO_ROOT, '../shared');
const images = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'mediapipe-boxes.json'), 'utf8')) as { images: { image: string }[] }
).images
  .map((r) => path.join(SHARED, r.image))
  .filter((_, i) => i % 4 === 0);
const ready = images.every((f) => existsSync(f));
const MODEL = path.join(REPO_ROOT, 'public/models/face_detector.tflite');

describe.skipIf(!ready)(
  `the app's detector and training's (${ready ? `${images.length} CK+ and JAFFE images` : `skipped: needs ${SHARED} beside the checkout`})`,
  () => {
    let app: BlazefaceDetector;
    let training: BlazefaceDetector;
    beforeAll(async () => {
      await tf.setBackend('wasm');
      const bytes = new Uint8Array(readFileSync(MODEL));
      training = createBlazefaceDetector(bytes, MODEL);
      const binary = path.join(REPO_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm');
      app = createBlazefaceWasmDetector(bytes, MODEL, await startWasmKernels(binary));
    });
    afterAll(() => {
      app?.dispose();
      training?.dispose();
    });

    it('finds the same faces, with boxes within 0.01 px and scores within 1e-4', async () => {
      let faces = 0;
      for (const file of images) {
        const image = await readImage(file);
        const [got, want] = [app.detect(image), training.detect(image)];
        expect(got.length, file).toBe(want.length);
        got.forEach((g, i) => {
          const w = want[i]!;
          for (const k of ['x', 'y', 'width', 'height', 'roll'] as const)
            expect(Math.abs((g[k] ?? 0) - (w[k] ?? 0)), `${file} ${k}`).toBeLessThan(0.01);
          expect(Math.abs(g.score - w.score), file).toBeLessThan(1e-4);
        });
        faces += got.length;
      }
      expect(faces).toBeGreaterThanOrEqual(images.length);
    });
  },
);
