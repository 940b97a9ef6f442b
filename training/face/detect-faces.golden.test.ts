/**
 * The app's BlazeFace (src/core/blazeface-detector.ts, run here as training runs it) against the boxes MediaPipe's
 * own FaceDetector gave for the same images with the same model and settings (mediapipe-boxes.json, recorded with
 * @mediapipe/tasks-vision 0.10.35 while the app still used it): same faces, the same whole-pixel boxes (a box may
 * differ by a pixel where float rounding crosses a whole pixel) and the same scores. The crop spec and the shipped
 * CNN were tuned on MediaPipe's boxes, and the CNN reads a face 3% larger or smaller measurably differently, so the
 * boxes must not drift.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceBox } from '../../src/core/face-box.ts';
import { REPO_ROOT, createFaceDetector } from './detect-faces.ts';
import type { TrainingFaceDetector } from './detect-faces.ts';

interface Reference {
  readonly images: readonly { readonly image: string; readonly boxes: readonly FaceBox[] }[];
}

const SHARED = path.resolve(REPO_ROOT, '../shared');
const reference = JSON.parse(readFileSync(path.join(import.meta.dirname, 'mediapipe-boxes.json'), 'utf8')) as Reference;
const ready = reference.images.every((r) => existsSync(path.join(SHARED, r.image)));

function iou(a: FaceBox, b: FaceBox): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (ix * iy) / (a.width * a.height + b.width * b.height - ix * iy);
}

describe.skipIf(!ready)(
  `BlazeFace against MediaPipe's boxes (${ready ? `${reference.images.length} CK+ and JAFFE images` : `skipped: needs ${SHARED} beside the checkout`})`,
  () => {
    let detector: TrainingFaceDetector;
    let found: FaceBox[][];
    beforeAll(async () => {
      detector = await createFaceDetector();
      found = await detector.detect(reference.images.map((r) => path.join(SHARED, r.image)));
    });
    afterAll(async () => {
      await detector?.close();
    });

    it('finds as many faces as MediaPipe in every image', () => {
      expect(found.map((f) => f.length)).toEqual(reference.images.map((r) => r.boxes.length));
    });

    it('gives the largest face the same box (IoU >= 0.95 each, median 1) and score (within 0.005)', () => {
      const ious: number[] = [];
      reference.images.forEach((r, i) => {
        const want = r.boxes[0];
        const got = found[i]?.[0];
        if (!want || !got) return;
        ious.push(iou(got, want));
        expect(Math.abs(got.score - want.score), r.image).toBeLessThan(0.005);
      });
      expect(ious.length).toBeGreaterThan(reference.images.length * 0.9);
      expect(Math.min(...ious)).toBeGreaterThanOrEqual(0.95);
      expect([...ious].sort((a, b) => a - b)[Math.floor(ious.length / 2)]).toBe(1);
    });

    it('has no size or position bias against MediaPipe (means within 0.2% of the box side)', () => {
      const pairs = reference.images.flatMap((r, i) => {
        const want = r.boxes[0];
        const got = found[i]?.[0];
        return want && got ? [{ want, got }] : [];
      });
      const mean = (f: (p: (typeof pairs)[number]) => number) => pairs.reduce((s, p) => s + f(p), 0) / pairs.length;
      expect(Math.abs(mean(({ got, want }) => got.width / want.width - 1))).toBeLessThan(0.002);
      expect(Math.abs(mean(({ got, want }) => (got.x + got.width / 2 - want.x - want.width / 2) / want.width))).toBeLessThan(0.002);
      expect(Math.abs(mean(({ got, want }) => (got.y + got.height / 2 - want.y - want.height / 2) / want.width))).toBeLessThan(0.002);
    });
  },
);
