/** The researcher tools' state: a small vanilla store of its own, read by components through narrow slices. */
import { createStore } from 'zustand/vanilla';
import type { VideoAnalysisProgress } from '../../features/recording/analyse-video.ts';
import type { StoredSession as StoredRecording } from '../../features/recording/recording-db.ts';
import type { Baseline, Recording } from '../../features/recording/schema.ts';
import type { RecorderState } from '../live/recorder.ts';
import type { CalibrationState } from './baseline-capture.ts';

export type AnalysisState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly file: string; readonly progress: VideoAnalysisProgress | undefined }
  | { readonly status: 'done'; readonly file: string; readonly frames: number }
  | { readonly status: 'cancelled'; readonly file: string }
  | { readonly status: 'error'; readonly file: string; readonly message: string };

export interface ResearchState {
  readonly recorder: RecorderState;
  readonly calibration: CalibrationState;
  /** The baseline of the current participant: stored into the recording running now or started next. */
  readonly baseline: Baseline | undefined;
  readonly analysis: AnalysisState;
  /** The recordings stored in this browser (IndexedDB), newest first. */
  readonly recordings: readonly StoredRecording[];
  /** The recording open in the review view. */
  readonly review: Recording | undefined;
  /** The last import, export or storage problem, shown until the next action. */
  readonly problem: string | undefined;
  /** Whether IndexedDB could be opened (private windows of some browsers refuse it). */
  readonly storage: 'opening' | 'ready' | 'unavailable';
}

export type ResearchStore = ReturnType<typeof createResearchStore>;

/** Writes a patch to the research store (nothing once the tools are disposed). */
export type SetResearch = (patch: Partial<ResearchState>) => void;

const initialResearchState: ResearchState = {
  recorder: { status: 'idle' },
  calibration: { status: 'idle' },
  baseline: undefined,
  analysis: { status: 'idle' },
  recordings: [],
  review: undefined,
  problem: undefined,
  storage: 'opening',
};

export function createResearchStore() {
  return createStore<ResearchState>()(() => initialResearchState);
}
