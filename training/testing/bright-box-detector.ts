/**
 * A stand-in face detector for tests of what surrounds detection (the box cache, face framing), not of
 * detection itself: the "face" is the bounding box of pixels brighter than 200; none when there are none.
 */
import type { FaceBox } from '../../src/core/face-box.ts';
import type { RawImage } from '../../src/core/preprocess.ts';

/** Counts what the detector was asked to do. */
export interface DetectorLog {
  calls: number;
  images: number;
}

export function brightBoxDetector(log: DetectorLog = { calls: 0, images: 0 }) {
  return async () => ({
    async detect(images: readonly (RawImage | string)[]): Promise<FaceBox[][]> {
      log.calls++;
      log.images += images.length;
      return images.map((img) => {
        if (typeof img === 'string') throw new Error('expected decoded images');
        let x0 = Infinity,
          y0 = Infinity,
          x1 = -1,
          y1 = -1;
        for (let y = 0; y < img.height; y++) {
          for (let x = 0; x < img.width; x++) {
            if ((img.data[y * img.width + x] ?? 0) > 200) {
              x0 = Math.min(x0, x);
              y0 = Math.min(y0, y);
              x1 = Math.max(x1, x);
              y1 = Math.max(y1, y);
            }
          }
        }
        return x1 < 0 ? [] : [{ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1, score: 0.9 }];
      });
    },
    async close() {},
  });
}
