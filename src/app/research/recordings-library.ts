/**
 * The recordings stored in this browser: the IndexedDB library (list, open for review, delete, import), the
 * review's baseline and its export. The recording being written now is never replaced or deleted here.
 */
import { computeBaseline } from '../../features/recording/baseline.ts';
import { recordingToCsv } from '../../features/recording/csv.ts';
import { parseRecordingFile } from '../../features/recording/import-file.ts';
import { recordingToJson } from '../../features/recording/json.ts';
import { openRecordingDb } from '../../features/recording/recording-db.ts';
import type { RecordingDb } from '../../features/recording/recording-db.ts';
import type { Recording } from '../../features/recording/schema.ts';
import type { ResearchStore, SetResearch } from './research-store.ts';

export const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function fileNameFor(r: Recording, format: 'csv' | 'json'): string {
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const base = r.name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'recording';
  return `circumplex-${base}-${stamp}.${format}`;
}

function downloadText(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The recording being written now, which the library leaves alone. */
export interface CurrentRecording {
  id(): string | undefined;
  flush(): Promise<void>;
}

export interface RecordingsLibrary {
  /** The opened database; undefined when this browser refuses IndexedDB. */
  readonly db: Promise<RecordingDb | undefined>;
  /** Reads the list of stored recordings again. */
  refresh(): Promise<void>;
  /** Stores a whole recording (replacing one with the same id) and lists it. */
  save(recording: Recording): Promise<void>;
  importFile(file: File): Promise<void>;
  open(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  setReviewBaseline(first: number, end: number): Promise<void>;
  download(format: 'csv' | 'json'): void;
  close(): void;
}

function openLibrary(set: SetResearch): { db: Promise<RecordingDb | undefined>; refresh(): Promise<void> } {
  let opened: RecordingDb | undefined;
  const refresh = async (): Promise<void> => {
    if (opened) set({ recordings: await opened.list() });
  };
  const db = openRecordingDb().then(
    async (d) => {
      opened = d;
      set({ storage: 'ready' });
      await refresh();
      return d;
    },
    (e: unknown) => {
      set({ storage: 'unavailable', problem: `Recordings cannot be stored in this browser: ${describeError(e)}` });
      return undefined;
    },
  );
  return { db, refresh };
}

export function createRecordingsLibrary(store: ResearchStore, set: SetResearch, current: CurrentRecording): RecordingsLibrary {
  const { db, refresh } = openLibrary(set);
  const save = async (recording: Recording): Promise<void> => {
    await (await db)?.save(recording);
    await refresh();
  };

  return {
    db,
    refresh,
    save,
    async importFile(file) {
      try {
        const recording = parseRecordingFile(await file.text(), file.name);
        // Stored like any recording (replacing one with the same id), so it stays listed after a reload;
        // never over the recording being written now, whose chunks the writer is still appending.
        if ((await db) && current.id() !== recording.id) await save(recording);
        set({ review: recording, problem: undefined });
      } catch (e) {
        // Nothing changes: the open review and the stored recordings stay as they were.
        set({ problem: `Import failed. ${describeError(e)}` });
      }
    },
    async open(id) {
      const opened = await db;
      if (!opened) return;
      try {
        // A recording still being written is read as of its last flush.
        await current.flush();
        set({ review: await opened.load(id), problem: undefined });
      } catch (e) {
        set({ problem: describeError(e) });
      }
    },
    async remove(id) {
      const opened = await db;
      if (!opened || current.id() === id) return;
      await opened.remove(id);
      if (store.getState().review?.id === id) set({ review: undefined });
      await refresh();
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
      const stored = store.getState().recordings.some((r) => r.meta.id === review.id);
      if (stored && current.id() !== review.id) await save(updated);
    },
    download(format) {
      const review = store.getState().review;
      if (!review) return;
      if (format === 'csv') downloadText(recordingToCsv(review), fileNameFor(review, 'csv'), 'text/csv');
      else downloadText(recordingToJson(review), fileNameFor(review, 'json'), 'application/json');
    },
    close() {
      void db.then((d) => d?.close());
    },
  };
}
