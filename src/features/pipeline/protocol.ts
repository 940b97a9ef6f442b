/** Messages between the page and the pipeline worker (detection -> crop -> CNN -> streaming GRU). */
import type { ValenceArousal } from '../../core/emotions.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import type { CalibrationFrame, CalibrationVerdict, PersonalHead } from '../../core/personal-head.ts';
import type { FaceBox } from '../face/face-box.ts';
import type { BackendName } from '../inference/backend-choice.ts';
import type { FaceLostPhase } from '../inference/face-lost.ts';
import type { QualityIssue } from '../inference/face-quality.ts';
import type { CameraFrame } from './camera-frame.ts';

/** A layers model for the worker: its manifest entry and verified files (path -> bytes). */
export interface ModelPayload {
  readonly entry: ModelEntry;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export interface InitMessage {
  readonly type: 'init';
  /** Absent: detection only (no expression model exported yet). The face detector goes to the face worker directly. */
  readonly expression?: ModelPayload;
  readonly temporal?: ModelPayload;
  /** Folder of the tfjs wasm binaries (/vendor/tfjs/), for both workers. */
  readonly tfjsWasmUrl: string;
  /** Staggered states of the streaming GRU (streaming-gru.ts). */
  readonly streamingStates: number;
}

export type ToWorker =
  /**
   * Sent as the worker is created, while the page still downloads the models: `facePort` is this worker's line to the
   * face worker, which the page started at the same moment (so its code and wasm runtime load side by side with this
   * worker's, and both are ready, or nearly, when 'init' brings the models). The expression model's backend (`backend`:
   * one forced in settings or the URL; absent: chosen by capability) starts now too.
   */
  | { readonly type: 'prepare'; readonly tfjsWasmUrl: string; readonly facePort: MessagePort; readonly backend?: BackendName }
  | InitMessage
  /** The worker owns `frame` from here on and closes it. */
  | { readonly type: 'frame'; readonly frame: CameraFrame; readonly timestampMs: number }
  /**
   * Runs the expression model on a fixed preprocessed input, with the personal correction in use if any, as a live
   * frame would be (backend parity checks, calibration checks); answered by 'probe-result'.
   */
  | { readonly type: 'probe'; readonly input: Float32Array }
  /** Destroys the WebGPU device, as a driver reset would (tests the fallback). */
  | { readonly type: 'lose-gpu-device' }
  /** Fits a personal correction to captured frames (personal-head.ts); answered by 'calibration'. */
  | { readonly type: 'calibrate'; readonly frames: readonly CalibrationFrame[] }
  /** Applies a personal correction to every following frame (`key` names it in results); undefined: the shipped model alone. */
  | { readonly type: 'set-personal-head'; readonly profile: ActiveProfile | undefined }
  /** Forgets the temporal window and the smoothing (after a pause: the frames before it no longer belong to this one). */
  | { readonly type: 'reset' }
  | { readonly type: 'dispose' };

/** Worker-side milliseconds per stage of one frame. */
export interface StageTimings {
  readonly detect: number;
  readonly crop: number;
  readonly cnn: number;
  readonly gru: number;
  /** Everything in the worker, including reading pixels. */
  readonly total: number;
}

/** Signals about the analysed face that affect how far its reading can be trusted. */
export interface FaceQuality {
  /** The box's larger side in source pixels. */
  readonly sizePx: number;
  /** ... as a fraction of the frame's smaller side. */
  readonly sizeFraction: number;
  /** Mean gray level of the model's crop, 0..255. */
  readonly brightness: number;
  readonly score: number;
  /** Why the reading is unreliable (face-quality.ts); empty when it is fine. */
  readonly issues: readonly QualityIssue[];
}

/** A personal correction as the worker applies it. */
export interface ActiveProfile {
  /** `<profile id>:<parameter hash>`: which profile, and exactly which parameters. */
  readonly key: string;
  readonly head: PersonalHead;
}

export interface Analysis {
  /** Class probabilities (manifest label order); with a personal correction applied when `personal`. */
  readonly probs: readonly number[];
  /** The CNN's own valence/arousal for this frame; with a personal correction applied when `personal`. */
  readonly cnn: ValenceArousal;
  /** The CNN's 300-d feature (the temporal model's input; personal calibration fits on it). */
  readonly features: Float32Array;
  /** The key (profile id and parameter hash) of the personal correction that shaped `probs`, `cnn` and the readout. */
  readonly profile?: string;
  /** The shipped model's own outputs, when a personal correction replaced them above. */
  readonly shipped?: { readonly probs: readonly number[]; readonly va: ValenceArousal };
  /** The model input, back in 0..255 gray, row-major size x size (the debug panel shows it). */
  readonly crop: Uint8ClampedArray;
  readonly cropSize: number;
  readonly quality: FaceQuality;
}

export interface FrameResult {
  readonly faces: FaceBox[];
  /** Index in `faces` of the analysed (largest) face; -1 when none. */
  readonly tracked: number;
  /** Source frame size in pixels: the coordinate space of `faces`. */
  readonly width: number;
  readonly height: number;
  readonly detectorMs: number;
  readonly timestampMs: number;
  readonly analysis: Analysis | undefined;
  /** The readout: smoothed, temporal when a temporal model is loaded; undefined with no face for a while. */
  readonly va: ValenceArousal | undefined;
  /** Temporal model output this frame and the frames behind it. */
  readonly temporal: ValenceArousal | undefined;
  readonly coverage: number;
  readonly phase: FaceLostPhase;
  readonly timings: StageTimings;
  /**
   * Tensors alive in the expression model's backend after the frame (TF.js's tf.memory().numTensors; on the wasm
   * kernels, their allocations): flat when nothing leaks.
   */
  readonly numTensors: number;
}

export interface BackendInfo {
  readonly backend: BackendName;
  readonly reason: string;
}

export type LoadStage = 'detector' | 'backend' | 'expression-model' | 'temporal-model' | 'warm-up';

export type FromWorker =
  | { readonly type: 'progress'; readonly stage: LoadStage }
  | { readonly type: 'ready'; readonly backend: BackendInfo | undefined; readonly temporal: boolean; readonly loadMs: number }
  | { readonly type: 'backend'; readonly backend: BackendInfo }
  | ({ readonly type: 'result' } & FrameResult)
  | {
      readonly type: 'probe-result';
      readonly va: ValenceArousal;
      readonly probs: readonly number[];
      readonly backend: BackendName;
      readonly profile?: string;
    }
  /** `ms`: how long the fit and its check took in the worker. */
  | { readonly type: 'calibration'; readonly head: PersonalHead; readonly verdict: CalibrationVerdict; readonly ms: number }
  /** `file`/`problem`: a runtime file of the app's own (e.g. a wasm binary) is at fault. */
  | {
      readonly type: 'error';
      readonly stage: 'init' | 'frame' | 'probe' | 'calibrate';
      readonly message: string;
      readonly file?: string;
      readonly problem?: string;
    };
