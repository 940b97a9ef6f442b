/**
 * A video frame's pixels, read once per frame in the face worker: the detector's input and the face crop are both
 * cut from them by the pure functions training uses too (src/core/blazeface.ts, src/core/preprocess.ts).
 */
import type { RawImage } from '../../core/preprocess.ts';

export interface FramePixelReader {
  read(frame: ImageBitmap): RawImage;
}

/** One reusable canvas, resized when the frame size changes. */
export function createFramePixelReader(): FramePixelReader {
  let canvas: OffscreenCanvas | undefined;
  let context: OffscreenCanvasRenderingContext2D | undefined;
  return {
    read(frame) {
      if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height) {
        canvas = new OffscreenCanvas(frame.width, frame.height);
        context = canvas.getContext('2d', { willReadFrequently: true }) ?? undefined;
      }
      if (!context) throw new Error('no 2D canvas context in the worker');
      context.drawImage(frame, 0, 0);
      const pixels = context.getImageData(0, 0, frame.width, frame.height);
      return { data: pixels.data, width: frame.width, height: frame.height, channels: 4 };
    },
  };
}
