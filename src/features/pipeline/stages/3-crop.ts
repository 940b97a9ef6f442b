/**
 * Stage 3 of a frame, in the face worker (face-worker.ts): the expression model's input cut from the largest face.
 * Takes only the pixels the crop needs (crop-region.ts) from the frame, then runs the preprocessing training used
 * too (src/core/preprocess.ts: square box with the manifest's margin and shift, turned with the face when the manifest
 * says levelEyes, gray, resize, normalise), so the model sees
 * live what it saw in training. The result travels to the model worker as a transferred Float32Array.
 */
import { preprocessFace } from '../../../core/preprocess.ts';
import type { CropSpec, RawImage } from '../../../core/preprocess.ts';
import type { FaceBox } from '../../face/face-box.ts';
import { cropReadRegion, faceInRegion, regionPixels } from '../../inference/crop-region.ts';

export function cropFace(frame: RawImage, face: FaceBox, spec: CropSpec): Float32Array {
  const region = cropReadRegion(face, spec, frame.width, frame.height);
  return preprocessFace(regionPixels(frame, region), spec, faceInRegion(face, region));
}
