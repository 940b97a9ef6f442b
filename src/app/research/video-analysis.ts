/**
 * Analysing a video file on the live session's pipeline (lent for the while, see LiveSession.withPipeline);
 * the result is stored as a recording, with the personal calibrations its frames name, and opened for review.
 */
import { analyseVideoFile } from '../../features/recording/analyse-video.ts';
import type { RecordedProfile, Recording } from '../../features/recording/schema.ts';
import type { LiveSession } from '../live/live-session.ts';
import type { AppStore } from '../store.ts';
import { describeError } from './recordings-library.ts';
import type { SetResearch } from './research-store.ts';

/** The recording with the personal calibrations its frames name (looked up by key), for reproducing its readings. */
export function withProfiles(recording: Recording, profileFor: (key: string) => RecordedProfile | undefined): Recording {
  const keys = new Set(recording.frames.flatMap((f) => (f.profile ? [f.profile] : [])));
  const profiles = [...keys].map(profileFor).filter((p): p is RecordedProfile => p !== undefined);
  return profiles.length ? { ...recording, profiles } : recording;
}

export interface VideoAnalysisOptions {
  readonly app: AppStore;
  readonly live: LiveSession;
  readonly set: SetResearch;
  readonly save: (recording: Recording) => Promise<void>;
  readonly profileFor: (key: string) => RecordedProfile | undefined;
}

export interface VideoAnalysis {
  /** Analyses `file` unless `busy` (an analysis or a recording running). */
  analyse(file: File, busy: boolean): Promise<void>;
  cancel(): void;
}

export function createVideoAnalysis({ app, live, set, save, profileFor }: VideoAnalysisOptions): VideoAnalysis {
  let running: AbortController | undefined;

  async function analyse(file: File, controller: AbortController): Promise<void> {
    set({ analysis: { status: 'running', file: file.name, progress: undefined }, problem: undefined });
    try {
      const analysed = await live.withPipeline((pipeline) =>
        analyseVideoFile(file, {
          worker: pipeline,
          backend: () => app.getState().backend?.backend,
          onProgress: (progress) => set({ analysis: { status: 'running', file: file.name, progress } }),
          signal: controller.signal,
        }),
      );
      const recording = withProfiles(analysed, profileFor);
      await save(recording);
      set({ analysis: { status: 'done', file: file.name, frames: recording.frames.length }, review: recording });
    } catch (e) {
      if (controller.signal.aborted) set({ analysis: { status: 'cancelled', file: file.name } });
      else set({ analysis: { status: 'error', file: file.name, message: describeError(e) } });
    }
  }

  return {
    async analyse(file, busy) {
      if (running || busy) return;
      const controller = new AbortController();
      running = controller;
      try {
        await analyse(file, controller);
      } finally {
        running = undefined;
      }
    },
    cancel() {
      running?.abort();
    },
  };
}
