/**
 * Training-time image augmentation, after the paper's Keras ImageDataGenerator settings (research notes §1):
 * rotation ±15°, shift ±0.1, shear 0.01, zoom 0.9-1.25, horizontal flip, brightness 0.5-1.5, reflect fill.
 *
 * Every call draws a fresh transform from `rng`: the authors' code reseeded the generator on every call, so
 * every image got the same transform. Pure TypeScript on one gray size x size image, no tensors.
 */

export interface AugmentOptions {
  /** Largest rotation either way, degrees (Keras `rotation_range`). */
  readonly rotationDeg: number;
  /** Largest shift either way, as a fraction of the side (Keras `width_shift_range` / `height_shift_range`). */
  readonly shift: number;
  /** Largest shear angle either way, degrees (Keras 2 `shear_range` is in degrees: 0.01 is a token shear). */
  readonly shearDeg: number;
  /**
   * Zoom factor range [lo, hi], Keras semantics: the sampling grid is scaled by the factor, so values above 1
   * show more of the image (zoom out). As in Keras, x and y factors are drawn independently.
   */
  readonly zoom: readonly [number, number];
  /** Probability of a horizontal flip (Keras `horizontal_flip=True` flips half of the images). */
  readonly flipProbability: number;
  /** Multiplicative brightness factor range [lo, hi] (Keras `brightness_range`). */
  readonly brightness: readonly [number, number];
  /** Pixel value range: brightness results are clipped to it (PIL's Brightness enhancer clips to 0..255). */
  readonly valueRange: readonly [number, number];
}

/** The paper's settings, for pixels in 0..255. */
export const PAPER_AUGMENT: AugmentOptions = {
  rotationDeg: 15,
  shift: 0.1,
  shearDeg: 0.01,
  zoom: [0.9, 1.25],
  flipProbability: 0.5,
  brightness: [0.5, 1.5],
  valueRange: [0, 255],
};

/** No change at all: the identity transform. */
export const NO_AUGMENT: AugmentOptions = {
  rotationDeg: 0,
  shift: 0,
  shearDeg: 0,
  zoom: [1, 1],
  flipProbability: 0,
  brightness: [1, 1],
  valueRange: [0, 255],
};

/** One drawn transform (all the random choices of one call). */
export interface AugmentTransform {
  readonly rotationRad: number;
  /** Shifts in pixels (positive moves the content right / down). */
  readonly shiftX: number;
  readonly shiftY: number;
  readonly shearRad: number;
  readonly zoomX: number;
  readonly zoomY: number;
  readonly flip: boolean;
  readonly brightness: number;
}

function uniform(rng: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/**
 * Draws one transform. Always consumes exactly 8 numbers from `rng`, whatever the options, so a seed gives the
 * same stream of images when a range is switched off.
 */
export function drawTransform(rng: () => number, size: number, opts: AugmentOptions): AugmentTransform {
  const deg = Math.PI / 180;
  const rotationRad = uniform(rng, -opts.rotationDeg, opts.rotationDeg) * deg;
  const shiftX = uniform(rng, -opts.shift, opts.shift) * size;
  const shiftY = uniform(rng, -opts.shift, opts.shift) * size;
  const shearRad = uniform(rng, -opts.shearDeg, opts.shearDeg) * deg;
  const zoomX = uniform(rng, opts.zoom[0], opts.zoom[1]);
  const zoomY = uniform(rng, opts.zoom[0], opts.zoom[1]);
  const flip = rng() < opts.flipProbability;
  const brightness = uniform(rng, opts.brightness[0], opts.brightness[1]);
  return { rotationRad, shiftX, shiftY, shearRad, zoomX, zoomY, flip, brightness };
}

/** scipy.ndimage mode='reflect' (half-sample symmetric: d c b a | a b c d | d c b a), as Keras uses. */
function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/**
 * Applies a drawn transform: output pixel p samples the input at c + A (p - c) - t (bilinear, reflect fill),
 * with c the image centre and A = rotation · shear · zoom (Keras' composition order), then flips and scales
 * brightness. Returns a new array.
 */
export function applyTransform(
  pixels: Float32Array,
  size: number,
  t: AugmentTransform,
  valueRange: readonly [number, number],
): Float32Array {
  if (pixels.length !== size * size) {
    throw new Error(`augment: expected ${size}x${size} = ${size * size} pixels, got ${pixels.length}`);
  }
  const cos = Math.cos(t.rotationRad);
  const sin = Math.sin(t.rotationRad);
  // rotation [[cos, -sin], [sin, cos]] · shear [[1, -sin s], [0, cos s]] · zoom diag(zx, zy), in (x, y) order.
  const shx = -Math.sin(t.shearRad);
  const shy = Math.cos(t.shearRad);
  const a00 = cos * t.zoomX;
  const a01 = (cos * shx - sin * shy) * t.zoomY;
  const a10 = sin * t.zoomX;
  const a11 = (sin * shx + cos * shy) * t.zoomY;
  const c = (size - 1) / 2;
  const [lo, hi] = valueRange;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      const dy = y - c;
      const sx = c + a00 * dx + a01 * dy - t.shiftX;
      const sy = c + a10 * dx + a11 * dy - t.shiftY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const xa = reflectIndex(x0, size);
      const xb = reflectIndex(x0 + 1, size);
      const ya = reflectIndex(y0, size) * size;
      const yb = reflectIndex(y0 + 1, size) * size;
      const top = (pixels[ya + xa] ?? 0) * (1 - fx) + (pixels[ya + xb] ?? 0) * fx;
      const bottom = (pixels[yb + xa] ?? 0) * (1 - fx) + (pixels[yb + xb] ?? 0) * fx;
      const v = (top * (1 - fy) + bottom * fy) * t.brightness;
      out[y * size + (t.flip ? size - 1 - x : x)] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  return out;
}

/** Mirror left-right. */
export function flipHorizontal(pixels: Float32Array, size: number): Float32Array {
  if (pixels.length !== size * size) {
    throw new Error(`flipHorizontal: expected ${size}x${size} = ${size * size} pixels, got ${pixels.length}`);
  }
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) out[row + size - 1 - x] = pixels[row + x] ?? 0;
  }
  return out;
}

/** A fresh random transform of one gray size x size image; returns a new array. */
export function augment(pixels: Float32Array, size: number, rng: () => number, opts: AugmentOptions = PAPER_AUGMENT): Float32Array {
  return applyTransform(pixels, size, drawTransform(rng, size, opts), opts.valueRange);
}
