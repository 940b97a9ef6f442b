/**
 * The pixels a face crop reads: the square crop box (squareCropBox in src/core/preprocess.ts), widened to the box
 * around it when the crop turns with the face (CropSpec.levelEyes), grown by one pixel for bilinear neighbours and
 * clipped to the frame. Reading only this region from the video frame (instead of the whole frame) gives the same
 * crop, because preprocessFace replicates the border pixels of whatever it is given and the clipped sides are the
 * frame's own borders (crop-region.test.ts).
 */
import { cropAngle, squareCropBox } from '../../core/preprocess.ts';
import type { CropSpec, FaceToCrop, RawImage } from '../../core/preprocess.ts';

export interface PixelRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function cropReadRegion(face: FaceToCrop, spec: CropSpec, frameWidth: number, frameHeight: number): PixelRegion {
  const c = squareCropBox(face, spec.margin, spec.shiftY ?? 0);
  const angle = cropAngle(spec, face);
  // A square turned by `angle` spans side * (|cos| + |sin|) on each axis, about the same centre.
  const grow = (c.width * (Math.abs(Math.cos(angle)) + Math.abs(Math.sin(angle))) - c.width) / 2;
  const x0 = Math.max(0, Math.floor(c.x - grow) - 1);
  const y0 = Math.max(0, Math.floor(c.y - grow) - 1);
  const x1 = Math.min(frameWidth, Math.ceil(c.x + c.width + grow) + 1);
  const y1 = Math.min(frameHeight, Math.ceil(c.y + c.height + grow) + 1);
  // A face box clipped to the frame always overlaps it, so the region is never empty.
  return { x: Math.min(x0, frameWidth - 1), y: Math.min(y0, frameHeight - 1), width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** The face in the region's own coordinates (its roll unchanged). */
export function faceInRegion(face: FaceToCrop, region: PixelRegion): FaceToCrop {
  return { x: face.x - region.x, y: face.y - region.y, width: face.width, height: face.height, roll: face.roll };
}

function isTypedArray(data: ArrayLike<number>): data is Uint8ClampedArray | Uint8Array | Float32Array {
  return data instanceof Uint8ClampedArray || data instanceof Uint8Array || data instanceof Float32Array;
}

/** The region's pixels copied out of the frame (same channels); what lies outside the frame reads as 0. */
export function regionPixels(frame: RawImage, region: PixelRegion): RawImage {
  const { width, channels, data } = frame;
  const out = new Uint8ClampedArray(region.width * region.height * channels);
  const inside =
    region.x >= 0 && region.y >= 0 && region.x + region.width <= width && (region.y + region.height) * width * channels <= data.length;
  if (inside && isTypedArray(data)) {
    // Row by row, natively (cropReadRegion's regions always lie inside the frame).
    const row = region.width * channels;
    for (let y = 0; y < region.height; y++) {
      const start = ((region.y + y) * width + region.x) * channels;
      out.set(data.subarray(start, start + row), y * row);
    }
    return { data: out, width: region.width, height: region.height, channels };
  }
  for (let y = 0; y < region.height; y++) {
    for (let i = 0; i < region.width * channels; i++) {
      out[y * region.width * channels + i] = data[((region.y + y) * width + region.x) * channels + i] ?? 0;
    }
  }
  return { data: out, width: region.width, height: region.height, channels };
}
