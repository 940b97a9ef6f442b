/**
 * Researcher tools outside React: recording the live session to IndexedDB, markers, baseline calibration,
 * video file analysis, import/export and the list of past sessions. State lives in its own small vanilla
 * store (components read narrow slices); live frames are taken from the app store's `frame` as the session
 * writes it, so the frame loop itself is unchanged.
 */
import { createStore } from 'zustand/vanilla';
import { EMOTIONS } from '../core/emotions.ts';
import { analyseVideoFile } from '../features/recording/analyse-video.ts';
import type { VideoAnalysisProgress } from '../features/recording/analyse-video.ts';
import { computeBaseline } from '../features/recording/baseline.ts';
import { recordingToCsv } from '../features/recording/csv.ts';
import { toFrameRow } from '../features/recording/frame-row.ts';
import { parseRecordingFile } from '../features/recording/import-file.ts';
import { recordingToJson } from '../features/recording/json.ts';
import { openRecordingDb } from '../features/recording/recording-db.ts';
import type { RecordingDb, StoredSession } from '../features/recording/recording-db.ts';
import { createRecordingWriter } from '../features/recording/recording-writer.ts';
import type { RecordingWriter } from '../features/recording/recording-writer.ts';
import { RECORDING_FORMAT, RECORDING_SCHEMA_VERSION } from '../features/recording/schema.ts';
import type { Baseline, FrameRow, RecordedProfile, Recording } from '../features/recording/schema.ts';
import type { Session } from './session.ts';
import type { AppStore } from './store.ts';

export type RecorderState =
  | { readonly status: 'idle' }
  | { readonly status: 'recording'; readonly id: string; readonly startedAt: string; readonly frames: number; readonly markers: number };

export type CalibrationState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly seconds: number; readonly frames: number }
  | { readonly status: 'failed'; readonly message: string };

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
  readonly sessions: readonly StoredSession[];
  /** The recording open in the review view. */
  readonly review: Recording | undefined;
  /** The last import, export or storage problem, shown until the next action. */
  readonly problem: string | undefined;
  /** Whether IndexedDB could be opened (private windows of some browsers refuse it). */
  readonly storage: 'opening' | 'ready' | 'unavailable';
}

export type ResearchStore = ReturnType<typeof createResearchStore>;

const initialResearchState: ResearchState = {
  recorder: { status: 'idle' },
  calibration: { status: 'idle' },
  baseline: undefined,
  analysis: { status: 'idle' },
  sessions: [],
  review: undefined,
  problem: undefined,
  storage: 'opening',
};

export function createResearchStore() {
  return createStore<ResearchState>()(() => initialResearchState);
}

export interface Research {
  startRecording(): Promise<void>;
  stopRecording(): Promise<void>;
  addMarker(label: string): void;
  calibrate(seconds: number): void;
  analyseFile(file: File): Promise<void>;
  cancelAnalysis(): void;
  importFile(file: File): Promise<void>;
  open(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  closeReview(): void;
  /** Sets the open recording's baseline from one of its stretches (e.g. a resting segment of a video). */
  setReviewBaseline(first: number, end: number): Promise<void>;
  download(format: 'csv' | 'json'): void;
  dispose(): void;
}

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function fileNameFor(r: Recording, format: 'csv' | 'json'): string {
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const base = r.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'recording';
  return `circumplex-${base}-${stamp}.${format}`;
}

/** The recording with the personal calibrations its frames name (looked up by key), for reproducing its readings. */
function withProfiles(recording: Recording, profileFor: (key: string) => RecordedProfile | undefined): Recording {
  const keys = new Set(recording.frames.flatMap((f) => (f.profile ? [f.profile] : [])));
  const profiles = [...keys].map(profileFor).filter((p): p is RecordedProfile => p !== undefined);
  return profiles.length ? { ...recording, profiles } : recording;
}

export function createResearch(
  app: AppStore,
  store: ResearchStore,
  getSession: () => Session | undefined,
  profileFor: (key: string) => RecordedProfile | undefined = () => undefined,
): Research {
  let db: RecordingDb | undefined;
  let writer: RecordingWriter | undefined;
  /** performance.now() at the recording's start: frame times are offsets from it. */
  let origin = 0;
  let calibrationFrames: FrameRow[] | undefined;
  let calibrationEnd = 0;
  let calibrationStart = 0;
  let analysis: AbortController | undefined;
  let disposed = false;
  const set = (patch: Partial<ResearchState>): void => {
    if (!disposed) store.setState(patch);
  };

  const refresh = async (): Promise<void> => {
    if (db) set({ sessions: await db.list() });
  };
  const ready = openRecordingDb().then(
    async (opened) => {
      db = opened;
      set({ storage: 'ready' });
      await refresh();
      return opened;
    },
    (e: unknown) => {
      set({ storage: 'unavailable', problem: `Recordings cannot be stored in this browser: ${describeError(e)}` });
      return undefined;
    },
  );

  // Every processed live frame, as the session writes it to the app store.
  const unsubscribe = app.subscribe((s, prev) => {
    const frame = s.frame;
    if (!frame || frame === prev.frame) return;
    const backend = s.backend?.backend;
    if (writer) {
      const row = toFrameRow(frame, frame.timestampMs - origin, backend);
      const profile = row.profile ? profileFor(row.profile) : undefined;
      if (profile) writer.addProfile(profile);
      if (row.t >= 0 && writer.append(row)) {
        const r = store.getState().recorder;
        if (r.status === 'recording') set({ recorder: { ...r, frames: writer.frames } });
      }
    }
    if (calibrationFrames) {
      calibrationFrames.push(toFrameRow(frame, frame.timestampMs, backend));
      if (frame.timestampMs >= calibrationEnd) finishCalibration();
      else {
        const c = store.getState().calibration;
        if (c.status === 'running') set({ calibration: { ...c, frames: calibrationFrames.length } });
      }
    }
  });

  function finishCalibration(): void {
    const frames = calibrationFrames ?? [];
    calibrationFrames = undefined;
    const baseline = computeBaseline(frames, calibrationEnd - calibrationStart);
    if (!baseline) {
      set({ calibration: { status: 'failed', message: 'No face was read during the calibration: face the camera and try again.' } });
      return;
    }
    writer?.setBaseline(baseline);
    set({ baseline, calibration: { status: 'idle' } });
  }

  // A reload or a closed tab: write what is pending (IndexedDB usually completes a transaction started here).
  const onPageHide = (): void => void writer?.flush();
  window.addEventListener('pagehide', onPageHide);

  const download = (text: string, name: string, type: string): void => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return {
    async startRecording() {
      if (writer) return;
      const opened = await ready;
      if (!opened) return;
      const camera = app.getState().camera;
      const id = crypto.randomUUID();
      const startedAt = new Date().toISOString();
      origin = performance.now();
      writer = createRecordingWriter(
        opened,
        {
          format: RECORDING_FORMAT,
          schemaVersion: RECORDING_SCHEMA_VERSION,
          id,
          name: `Session ${new Date(startedAt).toLocaleString()}`,
          source: { kind: 'camera', label: camera.status === 'live' ? camera.label : 'camera' },
          startedAt,
          labels: [...EMOTIONS],
          baseline: store.getState().baseline ?? null,
          markers: [],
        },
        (e) => set({ problem: `Recording could not be saved: ${e.message}` }),
      );
      set({ recorder: { status: 'recording', id, startedAt, frames: 0, markers: 0 }, problem: undefined });
      await writer.flush();
      await refresh();
    },
    async stopRecording() {
      const w = writer;
      if (!w) return;
      writer = undefined;
      set({ recorder: { status: 'idle' } });
      await w.finish();
      await refresh();
    },
    addMarker(label) {
      const w = writer;
      if (!w) return;
      const n = w.meta.markers.length + 1;
      w.addMarker({ t: Math.max(0, performance.now() - origin), label: label.trim() || `M${n}` });
      const r = store.getState().recorder;
      if (r.status === 'recording') set({ recorder: { ...r, markers: n } });
    },
    calibrate(seconds) {
      if (calibrationFrames) return;
      calibrationFrames = [];
      calibrationStart = performance.now();
      calibrationEnd = calibrationStart + seconds * 1000;
      set({ calibration: { status: 'running', seconds, frames: 0 } });
    },
    async analyseFile(file) {
      const session = getSession();
      if (!session || analysis || writer) return;
      const controller = new AbortController();
      analysis = controller;
      set({ analysis: { status: 'running', file: file.name, progress: undefined }, problem: undefined });
      try {
        const analysed = await session.withWorker((worker) =>
          analyseVideoFile(file, {
            worker,
            backend: () => app.getState().backend?.backend,
            onProgress: (progress) => set({ analysis: { status: 'running', file: file.name, progress } }),
            signal: controller.signal,
          }),
        );
        const recording = withProfiles(analysed, profileFor);
        const opened = await ready;
        await opened?.save(recording);
        await refresh();
        set({ analysis: { status: 'done', file: file.name, frames: recording.frames.length }, review: recording });
      } catch (e) {
        if (controller.signal.aborted) set({ analysis: { status: 'cancelled', file: file.name } });
        else set({ analysis: { status: 'error', file: file.name, message: describeError(e) } });
      } finally {
        analysis = undefined;
      }
    },
    cancelAnalysis() {
      analysis?.abort();
    },
    async importFile(file) {
      try {
        const recording = parseRecordingFile(await file.text(), file.name);
        // Stored like any session (replacing one with the same id), so it stays listed after a reload;
        // never over the session being recorded now, whose chunks the writer is still appending.
        const opened = await ready;
        if (opened && writer?.meta.id !== recording.id) {
          await opened.save(recording);
          await refresh();
        }
        set({ review: recording, problem: undefined });
      } catch (e) {
        // Nothing changes: the open review and the stored sessions stay as they were.
        set({ problem: `Import failed. ${describeError(e)}` });
      }
    },
    async open(id) {
      const opened = await ready;
      if (!opened) return;
      try {
        // A session still recording is read as of its last flush.
        await writer?.flush();
        set({ review: await opened.load(id), problem: undefined });
      } catch (e) {
        set({ problem: describeError(e) });
      }
    },
    async remove(id) {
      const opened = await ready;
      if (!opened || writer?.meta.id === id) return;
      await opened.remove(id);
      if (store.getState().review?.id === id) set({ review: undefined });
      await refresh();
    },
    closeReview() {
      set({ review: undefined });
    },
    async setReviewBaseline(first, end) {
      const review = store.getState().review;
      if (!review) return;
      const frames = review.frames.slice(first, end);
      const baseline = computeBaseline(frames, frames.length ? frames.at(-1)!.t - frames[0]!.t : 0);
      if (!baseline) {
        set({ problem: 'That segment has no readings to take as a baseline.' });
        return;
      }
      const updated = { ...review, baseline };
      set({ review: updated, problem: undefined });
      const stored = store.getState().sessions.some((s) => s.meta.id === review.id);
      if (stored && !(writer?.meta.id === review.id)) {
        await db?.save(updated);
        await refresh();
      }
    },
    download(format) {
      const review = store.getState().review;
      if (!review) return;
      if (format === 'csv') download(recordingToCsv(review), fileNameFor(review, 'csv'), 'text/csv');
      else download(recordingToJson(review), fileNameFor(review, 'json'), 'application/json');
    },
    dispose() {
      disposed = true;
      unsubscribe();
      window.removeEventListener('pagehide', onPageHide);
      analysis?.abort();
      void writer?.finish();
      writer = undefined;
      void ready.then((d) => d?.close());
    },
  };
}
