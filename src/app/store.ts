/**
 * App state in a vanilla zustand store. Per-frame results are written by the frame loop (outside
 * React); components read narrow slices through the selectors below, never the whole store.
 */
import { createStore } from 'zustand/vanilla';
import type { CameraErrorKind } from '../features/camera/camera-error.ts';
import type { FrameResult } from '../features/pipeline/protocol.ts';

export type CameraState =
  | { readonly status: 'starting' }
  | { readonly status: 'live'; readonly label: string }
  | { readonly status: 'error'; readonly kind: CameraErrorKind; readonly message: string };

export type DetectorState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready' }
  /** `file` names the model file at fault, when one is. */
  | { readonly status: 'error'; readonly message: string; readonly file: string | undefined };

export interface AppState {
  readonly camera: CameraState;
  readonly detector: DetectorState;
  /** The latest detection; undefined until the first frame is processed. */
  readonly frame: FrameResult | undefined;
  /** Frames processed since the camera started. */
  readonly framesProcessed: number;
  /** A per-frame problem (the loop keeps running); cleared by the next good frame. */
  readonly frameError: string | undefined;
}

export const initialState: AppState = {
  camera: { status: 'starting' },
  detector: { status: 'loading' },
  frame: undefined,
  framesProcessed: 0,
  frameError: undefined,
};

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore() {
  return createStore<AppState>()(() => initialState);
}

export const selectCamera = (s: AppState): CameraState => s.camera;
export const selectDetector = (s: AppState): DetectorState => s.detector;
export const selectFrame = (s: AppState): FrameResult | undefined => s.frame;
export const selectFaceCount = (s: AppState): number | undefined => s.frame?.faces.length;
export const selectDetectorMs = (s: AppState): number | undefined => s.frame?.detectorMs;
export const selectFramesProcessed = (s: AppState): number => s.framesProcessed;
export const selectFrameError = (s: AppState): string | undefined => s.frameError;
