/** The app's face box type lives in src/core (shared with training's detector). */
export type { FaceBox } from '../../core/face-box.ts';
