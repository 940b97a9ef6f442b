/**
 * Face boxes from MediaPipe's FaceDetector, as the app (worker) and training (Chromium in Node) both read
 * them: one conversion, so a training crop is framed exactly as the live crop.
 */
/** A detected face in source-frame pixels (not mirrored): x, y = top-left. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Detector confidence 0..1. */
  readonly score: number;
}

/** The parts of a MediaPipe Detection this app reads (tasks-vision's Detection type, structurally). */
export interface DetectionLike {
  readonly boundingBox?: { readonly originX: number; readonly originY: number; readonly width: number; readonly height: number };
  readonly categories: readonly { readonly score: number }[];
}

/**
 * MediaPipe's detections -> face boxes clipped to the frame, highest score first. Boxes left empty
 * by clipping (a face entirely outside the frame) are dropped.
 */
export function toFaceBoxes(detections: readonly DetectionLike[], frameWidth: number, frameHeight: number): FaceBox[] {
  const boxes: FaceBox[] = [];
  for (const d of detections) {
    const b = d.boundingBox;
    if (!b) continue;
    const x0 = Math.max(0, b.originX);
    const y0 = Math.max(0, b.originY);
    const x1 = Math.min(frameWidth, b.originX + b.width);
    const y1 = Math.min(frameHeight, b.originY + b.height);
    if (x1 <= x0 || y1 <= y0) continue;
    const score = Math.max(0, ...d.categories.map((c) => c.score));
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score });
  }
  return boxes.sort((a, b) => b.score - a.score);
}
