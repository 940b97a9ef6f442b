/**
 * Stage 2 of a frame, in the face worker (face-worker.ts): which face is analysed when several are in the picture.
 * Only that one is cropped and read; the page still draws every box.
 */
import type { FaceBox } from '../../face/face-box.ts';

/** Index of the largest face by area (the one analysed; others are only shown), or -1 when none. */
export function largestFaceIndex(faces: readonly FaceBox[]): number {
  let best = -1;
  let bestArea = 0;
  faces.forEach((f, i) => {
    const area = f.width * f.height;
    if (area > bestArea) {
      best = i;
      bestArea = area;
    }
  });
  return best;
}
