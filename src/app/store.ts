/**
 * App state in a vanilla zustand store. Per-frame results are written by the live session (outside React);
 * components read narrow slices through the selectors below, never the whole store. Chart series are
 * written at most CHART_HZ times a second (live/live-frames.ts), so charts never repaint per frame.
 */
import { createStore } from 'zustand/vanilla';
import type { ValenceArousal } from '../core/emotions.ts';
import type { CameraDevice } from '../features/camera/camera.ts';
import type { CameraErrorKind } from '../features/camera/camera-error.ts';
import type { BackendName } from '../features/inference/backend-choice.ts';
import type { BackendInfo, FrameResult, LoadStage } from '../features/pipeline/protocol.ts';

export type CameraState =
  | { readonly status: 'starting' }
  | { readonly status: 'live'; readonly label: string }
  | { readonly status: 'stopped' }
  /** The live camera went away (unplugged, taken by another app); `attempt` tries to reopen it so far. */
  | { readonly status: 'reconnecting'; readonly attempt: number }
  | { readonly status: 'error'; readonly kind: CameraErrorKind; readonly message: string };

export type DetectorState =
  | { readonly status: 'loading'; readonly stage: LoadStage | 'download'; readonly loadedBytes: number; readonly totalBytes: number }
  | { readonly status: 'ready' }
  /** `file` names the model file at fault, when one is. */
  | { readonly status: 'error'; readonly message: string; readonly file: string | undefined };

export type Theme = 'system' | 'dark' | 'light';

export interface Settings {
  /** 'auto' = chosen by capability (backend-choice.ts). */
  readonly backend: BackendName | 'auto';
  readonly theme: Theme;
  /** Camera chosen in the picker; undefined = the browser's default. */
  readonly deviceId: string | undefined;
}

/** Page-side milliseconds of one frame. */
export interface FrameLatency {
  /** Taking the video frame on the page (a VideoFrame, or a bitmap copy where the browser has none). */
  readonly grab: number;
  /** From grabbing the frame to its result on the page (grab + transfer + worker + reply). */
  readonly total: number;
}

export interface TimelinePoint {
  /** Seconds relative to now (<= 0). */
  readonly t: number;
  readonly valence: number | null;
  readonly arousal: number | null;
}

export interface ChartData {
  /** The most recent readouts, oldest first (the circumplex trail). */
  readonly trail: readonly ValenceArousal[];
  /** The last 60 s. */
  readonly timeline: readonly TimelinePoint[];
}

export interface AppState {
  readonly camera: CameraState;
  readonly cameras: readonly CameraDevice[];
  readonly detector: DetectorState;
  readonly backend: BackendInfo | undefined;
  /** Whether a temporal model (streaming GRU) is loaded. */
  readonly temporal: boolean;
  /** Whether an expression model is loaded (false: detection only). */
  readonly expression: boolean;
  /** The latest frame's result; undefined until the first frame is processed. */
  readonly frame: FrameResult | undefined;
  readonly latency: FrameLatency | undefined;
  /** Frames processed per second (smoothed). */
  readonly fps: number | undefined;
  /** Frames processed since the camera started. */
  readonly framesProcessed: number;
  /** Milliseconds from the live session's start to the first valence/arousal shown. */
  readonly firstPredictionMs: number | undefined;
  /** A per-frame problem (the loop keeps running); cleared by the next good frame. */
  readonly frameError: string | undefined;
  /** Frame analysis is paused (hidden tab) and no frame has arrived since it resumed. */
  readonly paused: boolean;
  /** Whole seconds without a face once the face-lost policy has reset the reading; undefined otherwise. */
  readonly noFaceSeconds: number | undefined;
  readonly chart: ChartData;
  readonly settings: Settings;
}

export const DEFAULT_SETTINGS: Settings = { backend: 'auto', theme: 'system', deviceId: undefined };

export const initialState: AppState = {
  camera: { status: 'starting' },
  cameras: [],
  detector: { status: 'loading', stage: 'download', loadedBytes: 0, totalBytes: 0 },
  backend: undefined,
  temporal: false,
  expression: false,
  frame: undefined,
  latency: undefined,
  fps: undefined,
  framesProcessed: 0,
  firstPredictionMs: undefined,
  frameError: undefined,
  paused: false,
  noFaceSeconds: undefined,
  chart: { trail: [], timeline: [] },
  settings: DEFAULT_SETTINGS,
};

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore(settings: Settings = DEFAULT_SETTINGS) {
  return createStore<AppState>()(() => ({ ...initialState, settings }));
}

export const selectCamera = (s: AppState): CameraState => s.camera;
export const selectCameras = (s: AppState): readonly CameraDevice[] => s.cameras;
export const selectDetector = (s: AppState): DetectorState => s.detector;
export const selectBackend = (s: AppState): BackendInfo | undefined => s.backend;
export const selectTemporal = (s: AppState): boolean => s.temporal;
export const selectExpressionLoaded = (s: AppState): boolean => s.expression;
export const selectFrame = (s: AppState): FrameResult | undefined => s.frame;
export const selectFaceCount = (s: AppState): number | undefined => s.frame?.faces.length;
export const selectDetectorMs = (s: AppState): number | undefined => s.frame?.detectorMs;
export const selectFramesProcessed = (s: AppState): number => s.framesProcessed;
export const selectFrameError = (s: AppState): string | undefined => s.frameError;
export const selectChart = (s: AppState): ChartData => s.chart;
export const selectSettings = (s: AppState): Settings => s.settings;
export const selectFirstPredictionMs = (s: AppState): number | undefined => s.firstPredictionMs;
export const selectFps = (s: AppState): number | undefined => s.fps;
export const selectLatency = (s: AppState): FrameLatency | undefined => s.latency;
export const selectPaused = (s: AppState): boolean => s.paused;
export const selectNoFaceSeconds = (s: AppState): number | undefined => s.noFaceSeconds;
