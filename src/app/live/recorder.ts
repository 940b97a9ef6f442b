/**
 * Recording the live session to IndexedDB: each LiveFrame's row, its time made relative to the recording's
 * start, goes to a RecordingWriter (chunked writes, markers, the personal calibrations frames name).
 */
import { EMOTIONS } from '../../core/emotions.ts';
import type { RecordingDb } from '../../features/recording/recording-db.ts';
import { createRecordingWriter } from '../../features/recording/recording-writer.ts';
import type { RecordingWriter } from '../../features/recording/recording-writer.ts';
import { RECORDING_FORMAT, RECORDING_SCHEMA_VERSION } from '../../features/recording/schema.ts';
import type { Baseline, RecordedProfile, RecordingMeta } from '../../features/recording/schema.ts';
import type { LiveFrame } from './frame-record.ts';

export type RecorderState =
  | { readonly status: 'idle' }
  | { readonly status: 'recording'; readonly id: string; readonly startedAt: string; readonly frames: number; readonly markers: number };

/** What the recorder reports: its state, and a problem to show (undefined clears the last one). */
export type RecorderPatch = { readonly recorder: RecorderState; readonly problem?: string | undefined } | { readonly problem: string };

export interface Recorder {
  /** Starts a recording (`source` is read once storage is open); resolves once its first write is done. */
  start(source: () => RecordingSource): Promise<void>;
  stop(): Promise<void>;
  addMarker(label: string): void;
  /** Stores `baseline` into the recording running now, if any. */
  setBaseline(baseline: Baseline): void;
  /** Appends a live frame to the recording running now, if any. */
  record(frame: LiveFrame): void;
  /** The id of the recording being written; undefined when none. */
  readonly recordingId: string | undefined;
  /** Writes what is pending now. */
  flush(): Promise<void>;
  dispose(): void;
}

/** What a new recording is of. */
export interface RecordingSource {
  readonly cameraLabel: string;
  /** The participant's baseline at the start; a later one is set with setBaseline(). */
  readonly baseline: Baseline | undefined;
}

export interface RecorderOptions {
  readonly db: Promise<RecordingDb | undefined>;
  readonly profileFor: (key: string) => RecordedProfile | undefined;
  readonly report: (patch: RecorderPatch) => void;
  /** The list of stored recordings may have changed. */
  readonly onStored: () => Promise<void>;
}

function recordingMeta(id: string, startedAt: string, { cameraLabel, baseline }: RecordingSource): RecordingMeta {
  return {
    format: RECORDING_FORMAT,
    schemaVersion: RECORDING_SCHEMA_VERSION,
    id,
    name: `Session ${new Date(startedAt).toLocaleString()}`,
    source: { kind: 'camera', label: cameraLabel },
    startedAt,
    labels: [...EMOTIONS],
    baseline: baseline ?? null,
    markers: [],
  };
}

export function createRecorder({ db, profileFor, report, onStored }: RecorderOptions): Recorder {
  let writer: RecordingWriter | undefined;
  let state: RecorderState = { status: 'idle' };
  /** performance.now() at the recording's start: frame times are offsets from it. */
  let origin = 0;
  const setState = (next: RecorderState, patch: Omit<Extract<RecorderPatch, { recorder: RecorderState }>, 'recorder'> = {}): void => {
    state = next;
    report({ recorder: next, ...patch });
  };

  return {
    async start(source) {
      if (writer) return;
      const opened = await db;
      if (!opened) return;
      const id = crypto.randomUUID();
      const startedAt = new Date().toISOString();
      origin = performance.now();
      writer = createRecordingWriter(opened, recordingMeta(id, startedAt, source()), (e) =>
        report({ problem: `Recording could not be saved: ${e.message}` }),
      );
      setState({ status: 'recording', id, startedAt, frames: 0, markers: 0 }, { problem: undefined });
      await writer.flush();
      await onStored();
    },
    async stop() {
      const w = writer;
      if (!w) return;
      writer = undefined;
      setState({ status: 'idle' });
      await w.finish();
      await onStored();
    },
    addMarker(label) {
      const w = writer;
      if (!w) return;
      const n = w.meta.markers.length + 1;
      w.addMarker({ t: Math.max(0, performance.now() - origin), label: label.trim() || `M${n}` });
      if (state.status === 'recording') setState({ ...state, markers: n });
    },
    setBaseline(baseline) {
      writer?.setBaseline(baseline);
    },
    record({ row }) {
      if (!writer) return;
      const profile = row.profile ? profileFor(row.profile) : undefined;
      if (profile) writer.addProfile(profile);
      const t = row.t - origin;
      if (t >= 0 && writer.append({ ...row, t }) && state.status === 'recording') setState({ ...state, frames: writer.frames });
    },
    get recordingId() {
      return writer?.meta.id;
    },
    flush: async () => writer?.flush(),
    dispose() {
      void writer?.finish();
      writer = undefined;
    },
  };
}
