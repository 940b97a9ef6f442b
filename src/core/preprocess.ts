/**
 * The one face preprocessing implementation, used by training (Node) and by the app (worker).
 * Steps: luma (gray) -> square crop around the face box with a margin (turned with the face's roll when the
 * spec levels the eyes) -> area/bilinear resample to size x size -> normalise. Pure functions on typed arrays:
 * no DOM, no tensors, so what a model saw in training is bit-for-bit what it sees live.
 */

/** A decoded image: row-major, interleaved channels, 8-bit values. */
export interface RawImage {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
  /** 1 = gray, 3 = RGB, 4 = RGBA. */
  readonly channels: 1 | 3 | 4;
}

/** A single-channel float image (values 0..255 unless normalised). */
export interface GrayImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Axis-aligned box in pixels (x, y = top-left). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A face to crop: the detector's box and the roll of the face, the angle of the line from its right eye to its left
 * eye in image coordinates (radians, y down; 0 = eyes level, positive = the face turned clockwise on screen).
 */
export interface FaceToCrop extends Box {
  readonly roll?: number;
}

/** How pixel values 0..255 become model inputs: value * scale + offset. */
export interface Normalisation {
  readonly scale: number;
  readonly offset: number;
}

export interface CropSpec {
  /** Output side in pixels (the model's input is size x size x 1). */
  readonly size: number;
  /**
   * Extra context around the detector's face box, as a fraction of the box's larger side added on
   * every side (0 = the box itself, 0.25 = a box 1.5x as wide).
   */
  readonly margin: number;
  /**
   * Vertical offset of the crop centre from the face box centre, as a fraction of the box's larger side
   * (negative = up). Datasets frame faces higher than the detector's box centre (training/config/default-crop.ts).
   */
  readonly shiftY?: number;
  /**
   * Turn the crop by the face's roll (FaceToCrop.roll) so that the eyes are level in it, as they are in the dataset
   * crops the model learnt from. The crop keeps its centre and side; only its axes turn. Absent = false.
   */
  readonly levelEyes?: boolean;
  /**
   * With levelEyes: a roll up to this many degrees leaves the crop upright, and a larger one turns it by the part
   * beyond (a continuous dead band, so a face near the edge never jumps). Absent = 0, every roll levelled.
   */
  readonly levelDeadband?: number;
  readonly normalisation: Normalisation;
}

/** The paper's input scaling: pixels / 255 (the network's first layer is a BatchNorm). */
export const UNIT_NORMALISATION: Normalisation = { scale: 1 / 255, offset: 0 };

/** ITU-R BT.601 luma, as OpenCV's and PIL's RGB->L conversions use. */
export function toGray(image: RawImage): GrayImage {
  const { width, height, channels, data } = image;
  const n = width * height;
  if (data.length < n * channels) {
    throw new Error(`toGray: image data has ${data.length} values, expected ${n * channels} (${width}x${height}x${channels})`);
  }
  const out = new Float32Array(n);
  if (channels === 1) {
    for (let i = 0; i < n; i++) out[i] = data[i] ?? 0;
  } else {
    for (let i = 0, j = 0; i < n; i++, j += channels) {
      out[i] = 0.299 * (data[j] ?? 0) + 0.587 * (data[j + 1] ?? 0) + 0.114 * (data[j + 2] ?? 0);
    }
  }
  return { data: out, width, height };
}

/**
 * Square box centred on `face` (moved down by shiftY * larger side), side = larger side * (1 + 2 * margin).
 * May extend past the image.
 */
export function squareCropBox(face: Box, margin: number, shiftY = 0): Box {
  if (!(face.width > 0 && face.height > 0)) throw new Error(`squareCropBox: empty face box ${JSON.stringify(face)}`);
  if (!(margin >= 0)) throw new Error(`squareCropBox: margin must be >= 0, got ${margin}`);
  const larger = Math.max(face.width, face.height);
  const side = larger * (1 + 2 * margin);
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2 + shiftY * larger;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

function clampIndex(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

/**
 * Resample `region` of `gray` to size x size, its axes turned by `angle` radians about the region's centre (0 =
 * axis-aligned; the output's x axis runs along `angle` in the source). Downscaling averages a grid of source
 * pixels under each output pixel (like OpenCV's INTER_AREA, which avoids aliasing on large faces); upscaling
 * interpolates bilinearly. Pixels outside the image repeat the nearest edge pixel (border replicate).
 */
export function resampleRegion(gray: GrayImage, region: Box, size: number, angle = 0): Float32Array {
  if (!Number.isInteger(size) || size <= 0) throw new Error(`resampleRegion: size must be a positive integer, got ${size}`);
  if (!Number.isFinite(angle)) throw new Error(`resampleRegion: angle must be finite, got ${angle}`);
  const step = region.width / size;
  const stepY = region.height / size;
  return step > 1 && stepY > 1 ? areaResample(gray, region, size, angle) : bilinearResample(gray, region, size, angle);
}

/**
 * How region coordinates (u, v from its top-left, unturned) map to the source: x = region.x + u when the angle is 0
 * (exactly, so an upright crop is bit-for-bit the unturned resample), else turned about the region's centre.
 * Plain numbers, no closure or tuple: this runs for every sub-sample of every live crop.
 */
interface Turn {
  readonly turned: boolean;
  readonly cos: number;
  readonly sin: number;
  readonly cx: number;
  readonly cy: number;
  readonly halfW: number;
  readonly halfH: number;
}

function turnOf(region: Box, angle: number): Turn {
  return {
    turned: angle !== 0,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    cx: region.x + region.width / 2,
    cy: region.y + region.height / 2,
    halfW: region.width / 2,
    halfH: region.height / 2,
  };
}

/** Area average over an integer grid of sub-samples per output pixel, each the source pixel it falls in. */
function areaResample(gray: GrayImage, region: Box, size: number, angle: number): Float32Array {
  const out = new Float32Array(size * size);
  const { width: w, height: h, data } = gray;
  const step = region.width / size;
  const stepY = region.height / size;
  const sx = Math.ceil(step);
  const sy = Math.ceil(stepY);
  const t = turnOf(region, angle);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      let sum = 0;
      for (let j = 0; j < sy; j++) {
        const v = (oy + (j + 0.5) / sy) * stepY;
        for (let i = 0; i < sx; i++) {
          const u = (ox + (i + 0.5) / sx) * step;
          const x = t.turned ? t.cx + t.cos * (u - t.halfW) - t.sin * (v - t.halfH) : region.x + u;
          const y = t.turned ? t.cy + t.sin * (u - t.halfW) + t.cos * (v - t.halfH) : region.y + v;
          sum += data[clampIndex(Math.floor(y), h - 1) * w + clampIndex(Math.floor(x), w - 1)] ?? 0;
        }
      }
      out[oy * size + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/** Bilinear interpolation at each output pixel's centre. */
function bilinearResample(gray: GrayImage, region: Box, size: number, angle: number): Float32Array {
  const out = new Float32Array(size * size);
  const { width: w, height: h, data } = gray;
  const step = region.width / size;
  const stepY = region.height / size;
  const t = turnOf(region, angle);
  for (let oy = 0; oy < size; oy++) {
    const v = (oy + 0.5) * stepY;
    for (let ox = 0; ox < size; ox++) {
      const u = (ox + 0.5) * step;
      const fx = (t.turned ? t.cx + t.cos * (u - t.halfW) - t.sin * (v - t.halfH) : region.x + u) - 0.5;
      const fy = (t.turned ? t.cy + t.sin * (u - t.halfW) + t.cos * (v - t.halfH) : region.y + v) - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const tx = fx - x0;
      const ty = fy - y0;
      const r0 = clampIndex(y0, h - 1) * w;
      const r1 = clampIndex(y0 + 1, h - 1) * w;
      const c0 = clampIndex(x0, w - 1);
      const c1 = clampIndex(x0 + 1, w - 1);
      const top = (data[r0 + c0] ?? 0) * (1 - tx) + (data[r0 + c1] ?? 0) * tx;
      const bottom = (data[r1 + c0] ?? 0) * (1 - tx) + (data[r1 + c1] ?? 0) * tx;
      out[oy * size + ox] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** In place: value * scale + offset. Returns the same array. */
export function normalise(pixels: Float32Array, norm: Normalisation): Float32Array {
  for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] ?? 0) * norm.scale + norm.offset;
  return pixels;
}

/**
 * The whole path: gray, square crop with margin around `face` (the whole image when omitted, as for
 * dataset images that are already face crops), turned by the face's roll when spec.levelEyes, resample to
 * spec.size, normalise.
 * Returns spec.size * spec.size floats, row-major: the model's [size, size, 1] input.
 */
export function preprocessFace(image: RawImage, spec: CropSpec, face?: FaceToCrop): Float32Array {
  const gray = toGray(image);
  const region = face
    ? squareCropBox(face, spec.margin, spec.shiftY ?? 0)
    : squareCropBox({ x: 0, y: 0, width: image.width, height: image.height }, 0);
  return normalise(resampleRegion(gray, region, spec.size, cropAngle(spec, face)), spec.normalisation);
}

/**
 * The angle (radians) the crop of `face` turns by under `spec`: 0 unless the spec levels the eyes; then the face's
 * roll less the dead band, toward 0 (a roll inside the band gives 0).
 */
export function cropAngle(spec: Pick<CropSpec, 'levelEyes' | 'levelDeadband'>, face?: FaceToCrop): number {
  const roll = face?.roll ?? 0;
  if (spec.levelEyes !== true || roll === 0) return 0;
  const band = ((spec.levelDeadband ?? 0) * Math.PI) / 180;
  const excess = Math.abs(roll) - band;
  return excess > 0 ? Math.sign(roll) * excess : 0;
}
