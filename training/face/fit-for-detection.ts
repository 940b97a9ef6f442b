/**
 * Small images (48x48 FER crops, CK+48) are enlarged before face detection, and framed with a border:
 * BlazeFace short-range was trained on faces that fill part of a selfie frame, so a face cropped to its
 * own outline is found less often, and boxed larger, than the same face with some background around it. Full frames (video, CK+ sequences, JAFFE) pass through untouched,
 * so the detector sees them exactly as the app sees a camera frame.
 */
import { resampleRegion } from '../../src/core/preprocess.ts';
import type { Box, RawImage } from '../../src/core/preprocess.ts';

export interface DetectionFit {
  /** Images whose larger side is below this are enlarged (bilinear, resampleRegion) to this side. */
  readonly minSide: number;
  /** Border added on every side of an enlarged image, as a fraction of its larger side. */
  readonly pad: number;
  /** The border: a constant gray level 0..255, or 'edge' to repeat the outermost pixels. */
  readonly padValue: number | 'edge';
}

/**
 * Chosen with training/cli/calibrate-crop.ts --sweep (500 FER+ train images, the 981 CK+48 images): a mid-gray
 * border of half the image on every side finds a face in 99.8% of FER+ images (no border: 93.8%; passing
 * 48x48 as is: 95.2%), and gives CK+48 a median framing margin of 0.085 where locating the same crops in
 * their full CK+ frames (the app's view, --ground-truth) gives 0.081; without a border the detector's box
 * swells to the image edge (median 0.025).
 */
export const DEFAULT_DETECTION_FIT: DetectionFit = { minSide: 192, pad: 0.5, padValue: 128 };

/** The image given to the detector and the map back: source = fitted / scale + origin. */
export interface FittedImage {
  readonly image: RawImage;
  readonly scale: number;
  /** Source-pixel coordinates of the fitted image's top-left corner (negative where a border was added). */
  readonly originX: number;
  readonly originY: number;
}

export function fitForDetection(image: RawImage, fit: DetectionFit): FittedImage {
  const side = Math.max(image.width, image.height);
  if (side >= fit.minSide) return { image, scale: 1, originX: 0, originY: 0 };
  if (!(fit.pad >= 0)) throw new Error(`fitForDetection: pad must be >= 0, got ${fit.pad}`);
  // A square region of the source (larger side + border), resampled so the image part is minSide wide.
  const border = side * fit.pad;
  const region: Box = { x: -border, y: -border, width: side + 2 * border, height: side + 2 * border };
  const outSide = Math.round(fit.minSide * (1 + 2 * fit.pad));
  const scale = outSide / region.width;
  const planes: Float32Array[] = [];
  for (let c = 0; c < image.channels; c++) planes.push(resampleRegion(channelPlane(image, c), region, outSide));
  const out = new Uint8Array(outSide * outSide * image.channels);
  for (let oy = 0; oy < outSide; oy++) {
    const sy = region.y + (oy + 0.5) / scale;
    for (let ox = 0; ox < outSide; ox++) {
      const sx = region.x + (ox + 0.5) / scale;
      const outside = sx < 0 || sy < 0 || sx >= image.width || sy >= image.height;
      const i = oy * outSide + ox;
      for (let c = 0; c < image.channels; c++) {
        const v = outside && fit.padValue !== 'edge' ? fit.padValue : (planes[c]?.[i] ?? 0);
        out[i * image.channels + c] = Math.round(v);
      }
    }
  }
  return { image: { data: out, width: outSide, height: outSide, channels: image.channels }, scale, originX: region.x, originY: region.y };
}

/** A box found in the fitted image, in source pixels. */
export function toSourceBox<B extends Box>(box: B, fitted: Pick<FittedImage, 'scale' | 'originX' | 'originY'>): B {
  return {
    ...box,
    x: box.x / fitted.scale + fitted.originX,
    y: box.y / fitted.scale + fitted.originY,
    width: box.width / fitted.scale,
    height: box.height / fitted.scale,
  };
}

function channelPlane(image: RawImage, channel: number): { data: Float32Array; width: number; height: number } {
  const n = image.width * image.height;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = image.data[i * image.channels + channel] ?? 0;
  return { data, width: image.width, height: image.height };
}
