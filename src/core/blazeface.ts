/**
 * BlazeFace short-range around its network, as MediaPipe's face detection graph defines it
 * (face_detection_short_range.pbtxt: SsdAnchorsCalculator, TensorsToDetectionsCalculator,
 * NonMaxSuppressionCalculator with WEIGHTED blending, DetectionLetterboxRemovalCalculator). Pure functions on
 * typed arrays, shared by the app's face worker and training's detector, so both find and frame faces alike.
 */
import type { FaceBox } from './face-box.ts';
import type { RawImage } from './preprocess.ts';

/** The network's square input side. */
export const BLAZEFACE_INPUT_SIZE = 128;
const COORDS = 16;
const KEYPOINTS = 6;
const SCORE_CLIP = 100;

/** Anchor centres (0..1), in the network's output order: 16x16 cells x 2, then 8x8 cells x 6. */
export function blazefaceAnchors(): Float32Array {
  const layers = [
    { grid: 16, perCell: 2 },
    { grid: 8, perCell: 6 },
  ];
  const out: number[] = [];
  for (const { grid, perCell } of layers)
    for (let y = 0; y < grid; y++)
      for (let x = 0; x < grid; x++) for (let k = 0; k < perCell; k++) out.push((x + 0.5) / grid, (y + 0.5) / grid);
  return Float32Array.from(out);
}

/** Where the image sits inside the square input (fractions of the input side). */
export interface Letterbox {
  readonly left: number;
  readonly top: number;
  /** The image's width and height as fractions of the input side (the longer is 1). */
  readonly width: number;
  readonly height: number;
}

export function letterboxFor(width: number, height: number): Letterbox {
  const scale = Math.max(width, height);
  const w = width / scale;
  const h = height / scale;
  return { left: (1 - w) / 2, top: (1 - h) / 2, width: w, height: h };
}

/**
 * The network's input: the whole image scaled to fit 128x128 with its aspect ratio kept, centred on black, RGB
 * (gray repeated), (pixel - 127.5) / 127.5. Input pixel i is sampled bilinearly at source position i * step, as
 * MediaPipe's image-to-tensor step maps it (no area averaging, no half-pixel offset): the network sees what it sees
 * in MediaPipe, within float rounding (training/face/detect-faces.golden.test.ts).
 */
export function blazefaceInput(image: RawImage): { input: Float32Array; letterbox: Letterbox } {
  const { width, height, channels, data } = image;
  if (width <= 0 || height <= 0) throw new Error(`blazefaceInput: empty image (${width}x${height})`);
  if (data.length < width * height * channels)
    throw new Error(`blazefaceInput: image data has ${data.length} values, expected ${width * height * channels}`);
  const size = BLAZEFACE_INPUT_SIZE;
  const letterbox = letterboxFor(width, height);
  const step = Math.max(width, height) / size;
  const input = new Float32Array(size * size * 3).fill(-1);
  const x0 = Math.round(letterbox.left * size);
  const y0 = Math.round(letterbox.top * size);
  const taps = (n: number, limit: number) => {
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const f = Math.min(limit - 1, i * step);
      lo[i] = Math.floor(f);
      hi[i] = Math.min(limit - 1, Math.floor(f) + 1);
      t[i] = f - Math.floor(f);
    }
    return { lo, hi, t };
  };
  const xs = taps(Math.round(letterbox.width * size), width);
  const ys = taps(Math.round(letterbox.height * size), height);
  const green = channels === 1 ? 0 : 1;
  const blue = channels === 1 ? 0 : 2;
  for (let oy = 0; oy < ys.t.length; oy++) {
    const ty = ys.t[oy] ?? 0;
    const r0 = (ys.lo[oy] ?? 0) * width;
    const r1 = (ys.hi[oy] ?? 0) * width;
    for (let ox = 0; ox < xs.t.length; ox++) {
      const tx = xs.t[ox] ?? 0;
      const a = (r0 + (xs.lo[ox] ?? 0)) * channels;
      const b = (r0 + (xs.hi[ox] ?? 0)) * channels;
      const c = (r1 + (xs.lo[ox] ?? 0)) * channels;
      const d = (r1 + (xs.hi[ox] ?? 0)) * channels;
      const w00 = (1 - tx) * (1 - ty);
      const w01 = tx * (1 - ty);
      const w10 = (1 - tx) * ty;
      const w11 = tx * ty;
      const o = ((y0 + oy) * size + x0 + ox) * 3;
      // The three channels written out: no tuple or iterator per pixel (this runs 16,384 times a frame, and its
      // first run, before the JIT has it, is on the start-up path).
      input[o] = ((data[a] ?? 0) * w00 + (data[b] ?? 0) * w01 + (data[c] ?? 0) * w10 + (data[d] ?? 0) * w11) / 127.5 - 1;
      input[o + 1] =
        ((data[a + green] ?? 0) * w00 + (data[b + green] ?? 0) * w01 + (data[c + green] ?? 0) * w10 + (data[d + green] ?? 0) * w11) /
          127.5 -
        1;
      input[o + 2] =
        ((data[a + blue] ?? 0) * w00 + (data[b + blue] ?? 0) * w01 + (data[c + blue] ?? 0) * w10 + (data[d + blue] ?? 0) * w11) / 127.5 - 1;
    }
  }
  return { input, letterbox };
}

/** A face in fractions of the network's input (before the letterbox is removed). */
interface RawDetection {
  score: number;
  /** xmin, ymin, xmax, ymax, then 6 keypoints x, y. */
  coords: Float32Array;
}

function decode(regressors: ArrayLike<number>, scores: ArrayLike<number>, anchors: Float32Array, minScore: number): RawDetection[] {
  const found: RawDetection[] = [];
  const n = anchors.length / 2;
  for (let a = 0; a < n; a++) {
    const logit = Math.min(SCORE_CLIP, Math.max(-SCORE_CLIP, scores[a] ?? -SCORE_CLIP));
    const score = 1 / (1 + Math.exp(-logit));
    if (score < minScore) continue;
    const r = a * COORDS;
    const ax = anchors[2 * a] ?? 0;
    const ay = anchors[2 * a + 1] ?? 0;
    const s = BLAZEFACE_INPUT_SIZE;
    const cx = (regressors[r] ?? 0) / s + ax;
    const cy = (regressors[r + 1] ?? 0) / s + ay;
    const w = (regressors[r + 2] ?? 0) / s;
    const h = (regressors[r + 3] ?? 0) / s;
    const coords = new Float32Array(4 + 2 * KEYPOINTS);
    coords.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]);
    for (let k = 0; k < KEYPOINTS; k++) {
      coords[4 + 2 * k] = (regressors[r + 4 + 2 * k] ?? 0) / s + ax;
      coords[5 + 2 * k] = (regressors[r + 5 + 2 * k] ?? 0) / s + ay;
    }
    found.push({ score, coords });
  }
  return found;
}

function iou(a: Float32Array, b: Float32Array): number {
  const ix = Math.max(0, Math.min(a[2] ?? 0, b[2] ?? 0) - Math.max(a[0] ?? 0, b[0] ?? 0));
  const iy = Math.max(0, Math.min(a[3] ?? 0, b[3] ?? 0) - Math.max(a[1] ?? 0, b[1] ?? 0));
  const inter = ix * iy;
  const area = (c: Float32Array) => Math.max(0, (c[2] ?? 0) - (c[0] ?? 0)) * Math.max(0, (c[3] ?? 0) - (c[1] ?? 0));
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * MediaPipe's WEIGHTED non-maximum suppression: the best remaining detection and every other one overlapping it by
 * more than `threshold` (IoU) become one face, coordinates averaged by score, keeping the best score.
 */
export function weightedNms<T extends { score: number; coords: Float32Array }>(detections: readonly T[], threshold: number): T[] {
  const remaining = [...detections].sort((a, b) => b.score - a.score);
  const out: T[] = [];
  while (remaining.length > 0) {
    const best = remaining[0];
    if (!best) break;
    const cluster: T[] = [];
    const rest: T[] = [];
    for (const d of remaining) (iou(best.coords, d.coords) > threshold || d === best ? cluster : rest).push(d);
    const total = cluster.reduce((s, d) => s + d.score, 0);
    const coords = new Float32Array(best.coords.length);
    for (const d of cluster) for (let i = 0; i < coords.length; i++) coords[i] = (coords[i] ?? 0) + ((d.coords[i] ?? 0) * d.score) / total;
    out.push({ ...best, coords });
    remaining.splice(0, remaining.length, ...rest);
  }
  return out;
}

/** A detected face with BlazeFace's six keypoints (right eye, left eye, nose tip, mouth, right ear, left ear), in source pixels. */
export interface DetectedFace extends FaceBox {
  readonly keypoints: readonly { readonly x: number; readonly y: number }[];
}

/**
 * The angle of the line from the right eye (keypoint 0) to the left eye (keypoint 1), in radians, y down: 0 when the
 * eyes are level, positive when the face is turned clockwise on screen. A face without eye keypoints reads 0.
 */
export function eyeRoll(keypoints: readonly { readonly x: number; readonly y: number }[]): number {
  const [right, left] = keypoints;
  if (!right || !left || (right.x === left.x && right.y === left.y)) return 0;
  return Math.atan2(left.y - right.y, left.x - right.x);
}

export interface DecodeOptions {
  readonly minScore: number;
  readonly nmsThreshold: number;
  /** Clip boxes to the image (the app's boxes; default true). Off where a box reaching past a tight crop must keep its size. */
  readonly clip?: boolean;
}

/**
 * The network's outputs -> faces in the source image's pixels (whole pixels, truncated, as MediaPipe reports them),
 * clipped to the image (unless `clip` is false), highest score first. Faces left empty by clipping are dropped.
 */
export function decodeBlazeface(
  regressors: ArrayLike<number>,
  scores: ArrayLike<number>,
  letterbox: Letterbox,
  source: { readonly width: number; readonly height: number },
  options: DecodeOptions,
  anchors: Float32Array = blazefaceAnchors(),
): DetectedFace[] {
  const toX = (v: number) => ((v - letterbox.left) / letterbox.width) * source.width;
  const toY = (v: number) => ((v - letterbox.top) / letterbox.height) * source.height;
  const faces: DetectedFace[] = [];
  for (const d of weightedNms(decode(regressors, scores, anchors, options.minScore), options.nmsThreshold)) {
    const c = d.coords;
    const clip = options.clip ?? true;
    // Whole pixels, truncated, as MediaPipe's FaceDetector reports boxes: the crop spec was measured on those.
    const ox = Math.trunc(toX(c[0] ?? 0));
    const oy = Math.trunc(toY(c[1] ?? 0));
    const ex = ox + Math.trunc(toX(c[2] ?? 0) - toX(c[0] ?? 0));
    const ey = oy + Math.trunc(toY(c[3] ?? 0) - toY(c[1] ?? 0));
    const x0 = clip ? Math.max(0, ox) : ox;
    const y0 = clip ? Math.max(0, oy) : oy;
    const x1 = clip ? Math.min(source.width, ex) : ex;
    const y1 = clip ? Math.min(source.height, ey) : ey;
    if (x1 <= x0 || y1 <= y0) continue;
    const keypoints = Array.from({ length: KEYPOINTS }, (_, k) => ({ x: toX(c[4 + 2 * k] ?? 0), y: toY(c[5 + 2 * k] ?? 0) }));
    faces.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score: d.score, roll: eyeRoll(keypoints), keypoints });
  }
  return faces.sort((a, b) => b.score - a.score);
}
