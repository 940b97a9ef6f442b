/**
 * Stage 3 of a frame, in the face worker (face-worker.ts): the expression model's input cut from the largest face.
 * Reads only the pixels the crop needs (crop-region.ts), then runs the preprocessing training used too
 * (src/core/preprocess.ts: square box with the manifest's margin, gray, resize, normalise), so the model sees live
 * what it saw in training. The result travels to the model worker as a transferred Float32Array.
 */
import { preprocessFace } from '../../../core/preprocess.ts';
import type { CropSpec } from '../../../core/preprocess.ts';
import type { FaceBox } from '../../face/face-box.ts';
import { cropReadRegion, faceInRegion } from '../../inference/crop-region.ts';

export interface FaceCropper {
  crop(frame: ImageBitmap, face: FaceBox, spec: CropSpec): Float32Array;
}

/** One reusable canvas, grown to the largest region read so far. */
export function createFaceCropper(): FaceCropper {
  let canvas: OffscreenCanvas | undefined;
  let context: OffscreenCanvasRenderingContext2D | undefined;
  return {
    crop(frame, face, spec) {
      const region = cropReadRegion(face, spec.margin, frame.width, frame.height, spec.shiftY ?? 0);
      if (!canvas || canvas.width < region.width || canvas.height < region.height) {
        canvas = new OffscreenCanvas(Math.max(region.width, canvas?.width ?? 0), Math.max(region.height, canvas?.height ?? 0));
        context = canvas.getContext('2d', { willReadFrequently: true }) ?? undefined;
      }
      if (!context) throw new Error('no 2D canvas context in the worker');
      context.drawImage(frame, region.x, region.y, region.width, region.height, 0, 0, region.width, region.height);
      const pixels = context.getImageData(0, 0, region.width, region.height);
      return preprocessFace(
        { data: pixels.data, width: region.width, height: region.height, channels: 4 },
        spec,
        faceInRegion(face, region),
      );
    },
  };
}
