/**
 * Recordings in IndexedDB (database "circumplex-recordings"): a `sessions` store of metadata (one record per
 * session, rewritten with every flush) and a `chunks` store of frame batches keyed [session id, sequence],
 * appended as the session runs, so a reload or crash loses only the frames not yet flushed.
 */
import { done, request } from '../storage/idb.ts';
import type { FrameRow, Recording, RecordingMeta } from './schema.ts';

const DB_NAME = 'circumplex-recordings';
const DB_VERSION = 1;

export interface StoredSession {
  readonly meta: RecordingMeta;
  /** 'recording' until stopped: a session still in this state after a reload was interrupted. */
  readonly status: 'recording' | 'complete';
  readonly frameCount: number;
  /** Time of the last frame, ms since the start. */
  readonly durationMs: number;
  readonly updatedAt: string;
}

export interface RecordingDb {
  list(): Promise<StoredSession[]>;
  /** Writes the metadata and, when given, one more batch of frames, in one transaction. */
  append(session: StoredSession, chunk?: { readonly seq: number; readonly frames: readonly FrameRow[] }): Promise<void>;
  /** Replaces a whole session (a file analysis, an import). */
  save(recording: Recording): Promise<void>;
  load(id: string): Promise<Recording>;
  remove(id: string): Promise<void>;
  close(): void;
}

interface ChunkRecord {
  readonly id: string;
  readonly seq: number;
  readonly frames: readonly FrameRow[];
}

export function summarise(recording: Recording, status: StoredSession['status']): StoredSession {
  const { frames, ...meta } = recording;
  return { meta, status, frameCount: frames.length, durationMs: frames.at(-1)?.t ?? 0, updatedAt: new Date().toISOString() };
}

export async function openRecordingDb(factory: IDBFactory = indexedDB): Promise<RecordingDb> {
  const open = factory.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('sessions')) db.createObjectStore('sessions', { keyPath: 'meta.id' });
    if (!db.objectStoreNames.contains('chunks')) db.createObjectStore('chunks', { keyPath: ['id', 'seq'] });
  };
  const db = await request(open);
  const chunksOf = (id: string): IDBKeyRange => IDBKeyRange.bound([id, -Infinity], [id, Infinity]);

  return {
    async list() {
      const tx = db.transaction('sessions', 'readonly');
      const all = (await request(tx.objectStore('sessions').getAll())) as StoredSession[];
      return all.sort((a, b) => b.meta.startedAt.localeCompare(a.meta.startedAt));
    },
    async append(session, chunk) {
      const tx = db.transaction(['sessions', 'chunks'], 'readwrite');
      tx.objectStore('sessions').put(session);
      if (chunk && chunk.frames.length)
        tx.objectStore('chunks').put({ id: session.meta.id, seq: chunk.seq, frames: chunk.frames } satisfies ChunkRecord);
      await done(tx);
    },
    async save(recording) {
      const tx = db.transaction(['sessions', 'chunks'], 'readwrite');
      const chunks = tx.objectStore('chunks');
      chunks.delete(chunksOf(recording.id));
      // Batches of a few thousand frames keep single records small.
      for (let i = 0, seq = 0; i < recording.frames.length; i += 2000, seq++)
        chunks.put({ id: recording.id, seq, frames: recording.frames.slice(i, i + 2000) } satisfies ChunkRecord);
      tx.objectStore('sessions').put(summarise(recording, 'complete'));
      await done(tx);
    },
    async load(id) {
      const tx = db.transaction(['sessions', 'chunks'], 'readonly');
      const session = (await request(tx.objectStore('sessions').get(id))) as StoredSession | undefined;
      if (!session) throw new Error(`recording ${id} is not stored in this browser`);
      const chunks = (await request(tx.objectStore('chunks').getAll(chunksOf(id)))) as ChunkRecord[];
      // Keys sort by [id, seq]: the batches come back in recording order.
      return { ...session.meta, frames: chunks.flatMap((c) => c.frames) };
    },
    async remove(id) {
      const tx = db.transaction(['sessions', 'chunks'], 'readwrite');
      tx.objectStore('sessions').delete(id);
      tx.objectStore('chunks').delete(chunksOf(id));
      await done(tx);
    },
    close() {
      db.close();
    },
  };
}
