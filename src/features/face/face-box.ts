/** The app's face box type and MediaPipe conversion live in src/core (shared with training's detector). */
export type { DetectionLike, FaceBox } from '../../core/face-box.ts';
export { toFaceBoxes } from '../../core/face-box.ts';
