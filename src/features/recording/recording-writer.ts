/**
 * Writes a live session to IndexedDB as it runs: frames are batched in memory and flushed every
 * FLUSH_INTERVAL_MS (with the metadata: markers, baseline), so a reload or crash loses at most that much.
 * Frames arrive from the pipeline outside React; nothing here touches the render path.
 */
import type { RecordingDb, StoredSession } from './recording-db.ts';
import type { Baseline, FrameRow, Marker, RecordedProfile, RecordingMeta } from './schema.ts';

export const FLUSH_INTERVAL_MS = 500;

export interface RecordingWriter {
  readonly meta: RecordingMeta;
  /** Frames accepted so far (flushed or pending). */
  readonly frames: number;
  /** Adds a frame; one whose time is not after the previous frame's is dropped (times stay strictly increasing). */
  append(frame: FrameRow): boolean;
  addMarker(marker: Marker): void;
  /** Adds a personal calibration that frames name (once per id and hash). */
  addProfile(profile: RecordedProfile): void;
  setBaseline(baseline: Baseline): void;
  /** Writes what is pending now. */
  flush(): Promise<void>;
  /** Flushes, marks the session complete and stops the timer. */
  finish(): Promise<StoredSession>;
}

export function createRecordingWriter(db: RecordingDb, initial: RecordingMeta, onError: (error: Error) => void): RecordingWriter {
  let meta = initial;
  let pending: FrameRow[] = [];
  let seq = 0;
  let count = 0;
  let lastT = -Infinity;
  let status: StoredSession['status'] = 'recording';
  let writing: Promise<void> = Promise.resolve();
  let metaDirty = true;

  const flush = (): Promise<void> => {
    if (pending.length === 0 && !metaDirty) return writing;
    const frames = pending;
    pending = [];
    metaDirty = false;
    const session: StoredSession = {
      meta,
      status,
      frameCount: count,
      durationMs: lastT === -Infinity ? 0 : lastT,
      updatedAt: new Date().toISOString(),
    };
    const chunk = { seq: seq++, frames };
    // One write at a time, in order: a later flush waits for the earlier one.
    writing = writing.then(() => db.append(session, chunk)).catch((e: unknown) => onError(e instanceof Error ? e : new Error(String(e))));
    return writing;
  };
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);

  return {
    get meta() {
      return meta;
    },
    get frames() {
      return count;
    },
    append(frame) {
      if (status !== 'recording' || !(frame.t > lastT)) return false;
      lastT = frame.t;
      pending.push(frame);
      count++;
      return true;
    },
    addMarker(marker) {
      meta = { ...meta, markers: [...meta.markers, marker] };
      metaDirty = true;
      void flush();
    },
    addProfile(profile) {
      if (meta.profiles?.some((p) => p.id === profile.id && p.hash === profile.hash)) return;
      meta = { ...meta, profiles: [...(meta.profiles ?? []), profile] };
      metaDirty = true;
    },
    setBaseline(baseline) {
      meta = { ...meta, baseline };
      metaDirty = true;
    },
    flush,
    async finish() {
      clearInterval(timer);
      status = 'complete';
      metaDirty = true;
      await flush();
      return { meta, status, frameCount: count, durationMs: lastT === -Infinity ? 0 : lastT, updatedAt: new Date().toISOString() };
    },
  };
}
