/** A detected face in source-frame pixels (not mirrored): x, y = top-left. Shared by the app and training. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Detector confidence 0..1. */
  readonly score: number;
  /**
   * The face's roll: the angle of the line from its right eye to its left eye (radians, y down; 0 = eyes level),
   * from the detector's eye keypoints; absent where the box came without them. Crops that level the eyes turn by it.
   */
  readonly roll?: number;
}
