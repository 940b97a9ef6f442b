/** A small, varied recording for the unit tests (awkward labels, empty readings, a baseline). */
import { RECORDING_FORMAT, RECORDING_SCHEMA_VERSION } from './schema.ts';
import type { RecordingDb, StoredSession } from './recording-db.ts';
import type { FrameRow, Recording } from './schema.ts';

export const LABELS = ['neutral', 'happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt'];

export function frameAt(t: number, valence: number | null, arousal: number | null, top = 1): FrameRow {
  const face = valence !== null;
  return {
    t,
    valence,
    arousal,
    cnnValence: face ? valence / 3 : null,
    cnnArousal: face ? -0.1234567890123 : null,
    probs: face ? LABELS.map((_, i) => (i === top ? 0.65 : 0.05)) : null,
    box: face ? { x: 101.5, y: 80.25, width: 220.1, height: 230.7 } : null,
    faces: face ? 1 : 0,
    quality: t > 300 ? ['dark', 'small'] : [],
    reliable: face && t <= 300,
    backend: 'wasm',
  };
}

export function sampleRecording(): Recording {
  return {
    format: RECORDING_FORMAT,
    schemaVersion: RECORDING_SCHEMA_VERSION,
    id: 'rec-1',
    name: 'Participant 7, "pilot", session A',
    source: { kind: 'camera', label: 'Fake camera, 0' },
    startedAt: '2026-11-21T10:00:00.000Z',
    labels: LABELS,
    baseline: { durationMs: 5000, frames: 120, valence: { mean: 0.1, sd: 0.02 }, arousal: { mean: -0.05, sd: 0.03 } },
    markers: [
      { t: 100, label: 'stimulus, "A"' },
      { t: 250, label: 'line\nbreak' },
    ],
    frames: [
      frameAt(0, 0.2, 0.1, 0),
      frameAt(33.333333333333336, 0.30000000000000004, -0.2, 1),
      frameAt(100, null, null),
      frameAt(133.4, 0.5, 0.5, 1),
      { ...frameAt(250, -0.4, 0.6, 4), profile: 'p-1:0123456789abcdef' },
      { ...frameAt(400.125, -0.6, 0.4, 4), profile: 'p-1:0123456789abcdef' },
    ],
    profiles: [
      {
        id: 'p-1',
        name: 'Participant 7, "calibrated"',
        hash: '0123456789abcdef',
        createdAt: '2026-11-21T09:58:00.000Z',
        head: {
          featureSize: 2,
          classes: ['neutral', 'happy'],
          centre: [0.5, 0.25],
          dW: LABELS.flatMap((_, i) => [i / 100, i ? -i / 300 : 0.5]),
          db: LABELS.map((_, i) => i / 7),
          dV: [0.1, 0.2, 0.3, 0.4],
          dc: [0.01, -0.02],
        },
      },
    ],
  };
}

/** An in-memory stand-in for IndexedDB that keeps what was written, in order. */
export function memoryDb() {
  const writes: { session: StoredSession; frames: readonly FrameRow[] }[] = [];
  const db: RecordingDb = {
    list: () => Promise.resolve(writes.map((w) => w.session)),
    append: (session, chunk) => {
      writes.push({ session, frames: chunk?.frames ?? [] });
      return Promise.resolve();
    },
    save: () => Promise.resolve(),
    load: () => Promise.reject(new Error('unused')),
    remove: () => Promise.resolve(),
    close: () => undefined,
  };
  return { db, writes };
}
