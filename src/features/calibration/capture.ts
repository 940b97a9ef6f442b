/**
 * The guided capture of "Calibrate to me", as a pure state machine: the person is asked for one expression after
 * another; each step waits until the person says they are ready (so they set the pace, and a screen-reader user
 * hears the prompt first), counts down, then keeps the frames in which one face is found, of good quality and held
 * still, labelled with the expression asked for. The app feeds it frames and clock ticks (app/personal/personal.ts).
 */
import type { Emotion } from '../../core/emotions.ts';
import type { CalibrationFrame } from '../../core/personal-head.ts';
import type { FrameResult } from '../pipeline/protocol.ts';

export interface CaptureStep {
  readonly emotion: Emotion;
  /** What the person is asked to do. */
  readonly prompt: string;
  readonly optional: boolean;
}

export const CAPTURE_STEPS: readonly CaptureStep[] = [
  { emotion: 'neutral', prompt: 'Relax your face: a neutral expression', optional: false },
  { emotion: 'happy', prompt: 'Smile', optional: false },
  { emotion: 'surprise', prompt: 'Look surprised: eyebrows up, mouth open', optional: false },
  { emotion: 'sad', prompt: 'Look sad: corners of the mouth down', optional: false },
  { emotion: 'anger', prompt: 'Look angry: frown, lips pressed', optional: false },
  { emotion: 'disgust', prompt: 'Look disgusted: wrinkle your nose', optional: true },
  { emotion: 'fear', prompt: 'Look afraid: eyes wide, brows raised and drawn together', optional: true },
];

export interface CaptureOptions {
  /** Countdown before each expression is captured. */
  readonly countdownMs: number;
  /** How long each expression is captured once enough frames are kept. */
  readonly holdMs: number;
  /** Frames each expression needs. */
  readonly minFrames: number;
  /** A step that has not kept minFrames by then fails. */
  readonly maxHoldMs: number;
  /** Largest movement of the face box centre between two frames, as a fraction of the box's larger side. */
  readonly maxMotion: number;
  /** Least time between two kept frames (frame clock), so a fast camera does not flood the fit with near-copies. */
  readonly minGapMs: number;
}

export const CAPTURE_DEFAULTS: CaptureOptions = {
  countdownMs: 3000,
  holdMs: 3000,
  minFrames: 4,
  maxHoldMs: 12000,
  maxMotion: 0.08,
  minGapMs: 250,
};

/** Why the last frame was not kept, for the live cue. */
export type FrameCue = 'kept' | 'no-face' | 'several-faces' | 'low-quality' | 'hold-still';

export type CaptureState =
  | {
      readonly phase: 'waiting' | 'countdown' | 'capturing';
      readonly steps: readonly CaptureStep[];
      readonly index: number;
      readonly since: number;
      readonly frames: readonly CalibrationFrame[];
      readonly stepFrames: number;
      readonly cue: FrameCue | undefined;
      readonly lastCentre: readonly [number, number] | undefined;
      readonly lastKeptAt?: number;
    }
  | { readonly phase: 'captured'; readonly steps: readonly CaptureStep[]; readonly frames: readonly CalibrationFrame[] }
  | {
      readonly phase: 'failed';
      readonly steps: readonly CaptureStep[];
      readonly index: number;
      readonly frames: readonly CalibrationFrame[];
      readonly message: string;
    };

export function startCapture(now: number, includeOptional: boolean): CaptureState {
  const steps = CAPTURE_STEPS.filter((s) => includeOptional || !s.optional);
  return {
    phase: 'waiting',
    steps,
    index: 0,
    since: now,
    frames: [],
    stepFrames: 0,
    cue: undefined,
    lastCentre: undefined,
    lastKeptAt: undefined,
  };
}

/** The person is ready for the expression asked for: the countdown starts. */
export function ready(state: CaptureState, now: number): CaptureState {
  return state.phase === 'waiting' ? { ...state, phase: 'countdown', since: now } : state;
}

/** Restarts a failed step where it failed, keeping the expressions already captured. */
export function retryStep(state: CaptureState, now: number): CaptureState {
  if (state.phase !== 'failed') return state;
  const kept = state.frames.filter((f) => f.label !== state.steps[state.index]!.emotion);
  return {
    phase: 'waiting',
    steps: state.steps,
    index: state.index,
    since: now,
    frames: kept,
    stepFrames: 0,
    cue: undefined,
    lastCentre: undefined,
    lastKeptAt: undefined,
  };
}

/** Advances the countdown and the capture window. */
export function tick(state: CaptureState, now: number, options: CaptureOptions = CAPTURE_DEFAULTS): CaptureState {
  if (state.phase === 'countdown') {
    return now - state.since >= options.countdownMs
      ? { ...state, phase: 'capturing', since: now, stepFrames: 0, cue: undefined, lastCentre: undefined, lastKeptAt: undefined }
      : state;
  }
  if (state.phase !== 'capturing') return state;
  const elapsed = now - state.since;
  if (state.stepFrames >= options.minFrames && elapsed >= options.holdMs) {
    const next = state.index + 1;
    if (next >= state.steps.length) return { phase: 'captured', steps: state.steps, frames: state.frames };
    return {
      ...state,
      phase: 'waiting',
      index: next,
      since: now,
      stepFrames: 0,
      cue: undefined,
      lastCentre: undefined,
      lastKeptAt: undefined,
    };
  }
  if (elapsed >= options.maxHoldMs) {
    const step = state.steps[state.index]!;
    const why =
      state.cue === 'no-face'
        ? 'no face was found'
        : state.cue === 'several-faces'
          ? 'more than one face was in view'
          : state.cue === 'hold-still'
            ? 'the face kept moving'
            : 'the frames were too dark, small or unclear';
    return {
      phase: 'failed',
      steps: state.steps,
      index: state.index,
      frames: state.frames,
      message: `Only ${state.stepFrames} of ${options.minFrames} clear frames of "${step.emotion}": ${why}. Face the camera in good light, hold the expression still, and try again.`,
    };
  }
  return state;
}

/** Judges one analysed frame; while capturing, keeps it when it is clear. */
export function addFrame(state: CaptureState, result: FrameResult, options: CaptureOptions = CAPTURE_DEFAULTS): CaptureState {
  if (state.phase === 'captured' || state.phase === 'failed') return state;
  const face = result.faces[result.tracked];
  const analysis = result.analysis;
  const centre = face ? ([face.x + face.width / 2, face.y + face.height / 2] as const) : undefined;
  const moved =
    centre && state.lastCentre && face
      ? Math.hypot(centre[0] - state.lastCentre[0], centre[1] - state.lastCentre[1]) / Math.max(face.width, face.height)
      : 0;
  const cue: FrameCue =
    !face || !analysis
      ? 'no-face'
      : result.faces.length > 1
        ? 'several-faces'
        : analysis.quality.issues.length > 0
          ? 'low-quality'
          : moved > options.maxMotion
            ? 'hold-still'
            : 'kept';
  const judged = { ...state, cue, lastCentre: centre };
  if (state.phase !== 'capturing' || cue !== 'kept' || !analysis) return judged;
  if (state.lastKeptAt !== undefined && result.timestampMs - state.lastKeptAt < options.minGapMs) return judged;
  const shipped = analysis.shipped ?? { probs: analysis.probs, va: analysis.cnn };
  const frame: CalibrationFrame = {
    features: analysis.features,
    probs: Float32Array.from(shipped.probs),
    va: [shipped.va.valence, shipped.va.arousal],
    label: state.steps[state.index]!.emotion,
  };
  return { ...judged, frames: [...state.frames, frame], stepFrames: state.stepFrames + 1, lastKeptAt: result.timestampMs };
}
