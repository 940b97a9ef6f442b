/**
 * Researcher tools outside React: recording the live session, markers, the participant's baseline, video file
 * analysis, and the library of stored recordings (import, review, export). Live frames come from the live
 * session's frame listeners; state lives in the research store (research-store.ts).
 */
import type { RecordedProfile } from '../../features/recording/schema.ts';
import type { LiveSession } from '../live/live-session.ts';
import { createRecorder } from '../live/recorder.ts';
import type { AppStore } from '../store.ts';
import { createBaselineCapture } from './baseline-capture.ts';
import { createRecordingsLibrary } from './recordings-library.ts';
import type { ResearchState, ResearchStore } from './research-store.ts';
import { createVideoAnalysis } from './video-analysis.ts';

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

export function createResearch(
  app: AppStore,
  store: ResearchStore,
  live: LiveSession,
  profileFor: (key: string) => RecordedProfile | undefined = () => undefined,
): Research {
  let disposed = false;
  const set = (patch: Partial<ResearchState>): void => {
    if (!disposed) store.setState(patch);
  };
  const library = createRecordingsLibrary(store, set, { id: () => recorder.recordingId, flush: () => recorder.flush() });
  const recorder = createRecorder({ db: library.db, profileFor, report: set, onStored: library.refresh });
  const baseline = createBaselineCapture({
    onState: (calibration) => set({ calibration }),
    onBaseline: (b) => {
      recorder.setBaseline(b);
      set({ baseline: b, calibration: { status: 'idle' } });
    },
  });
  const analysis = createVideoAnalysis({ app, live, set, save: library.save, profileFor });

  const stopListening = live.onFrame((frame) => {
    recorder.record(frame);
    baseline.add(frame);
  });
  // A reload or a closed tab: write what is pending (IndexedDB usually completes a transaction started here).
  const onPageHide = (): void => void recorder.flush();
  window.addEventListener('pagehide', onPageHide);

  const cameraLabel = (): string => {
    const camera = app.getState().camera;
    return camera.status === 'live' ? camera.label : 'camera';
  };

  return {
    startRecording: () => recorder.start(() => ({ cameraLabel: cameraLabel(), baseline: store.getState().baseline })),
    stopRecording: () => recorder.stop(),
    addMarker: (label) => recorder.addMarker(label),
    calibrate: (seconds) => baseline.start(seconds),
    analyseFile: (file) => analysis.analyse(file, recorder.recordingId !== undefined),
    cancelAnalysis: () => analysis.cancel(),
    importFile: (file) => library.importFile(file),
    open: (id) => library.open(id),
    remove: (id) => library.remove(id),
    closeReview: () => set({ review: undefined }),
    setReviewBaseline: (first, end) => library.setReviewBaseline(first, end),
    download: (format) => library.download(format),
    dispose() {
      disposed = true;
      stopListening();
      window.removeEventListener('pagehide', onPageHide);
      analysis.cancel();
      recorder.dispose();
      library.close();
    },
  };
}
