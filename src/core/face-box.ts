/** A detected face in source-frame pixels (not mirrored): x, y = top-left. Shared by the app and training. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Detector confidence 0..1. */
  readonly score: number;
}
