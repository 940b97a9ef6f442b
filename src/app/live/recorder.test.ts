import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryDb } from '../../features/recording/test-recording.ts';
import { buildLiveFrame } from './frame-record.ts';
import { createRecorder } from './recorder.ts';
import type { RecorderPatch } from './recorder.ts';
import { testResult } from './test-frame.ts';

const liveFrame = (timestampMs: number, profile?: string) =>
  buildLiveFrame(
    testResult({ timestampMs, ...(profile ? { profile } : {}) }),
    { grab: 1, total: 20, mediaTime: undefined },
    { n: 1, now: timestampMs, backend: 'webgl' },
  );

afterEach(() => vi.restoreAllMocks());

describe('createRecorder', () => {
  it('writes the live frames after its start, their times relative to it, with the calibrations they name', async () => {
    const { db, writes } = memoryDb();
    const reports: RecorderPatch[] = [];
    const profile = { id: 'p1', hash: 'abc', name: 'Profile 1', createdAt: '2026-01-01T00:00:00.000Z', head: {} } as never;
    const recorder = createRecorder({
      db: Promise.resolve(db),
      profileFor: (key) => (key === 'p1:abc' ? profile : undefined),
      report: (p) => reports.push(p),
      onStored: () => Promise.resolve(),
    });
    vi.spyOn(performance, 'now').mockReturnValue(1000);
    await recorder.start(() => ({ cameraLabel: 'Fake camera', baseline: undefined }));
    expect(recorder.recordingId).toBeDefined();
    recorder.record(liveFrame(900));
    recorder.record(liveFrame(1100, 'p1:abc'));
    recorder.record(liveFrame(1200));
    recorder.addMarker('  ');
    await recorder.stop();
    expect(recorder.recordingId).toBeUndefined();

    const last = writes.at(-1)!.session;
    expect(last.status).toBe('complete');
    expect(last.meta.source).toEqual({ kind: 'camera', label: 'Fake camera' });
    expect(last.meta.markers).toEqual([{ t: 0, label: 'M1' }]);
    expect(last.meta.profiles).toEqual([profile]);
    expect(writes.flatMap((w) => w.frames).map((f) => f.t)).toEqual([100, 200]);
    expect(reports).toContainEqual({ recorder: expect.objectContaining({ status: 'recording', frames: 2, markers: 1 }) as unknown });
    expect(reports.at(-1)).toEqual({ recorder: { status: 'idle' } });
  });

  it('ignores frames, markers and stops while nothing is recorded', async () => {
    const { db, writes } = memoryDb();
    const reports: RecorderPatch[] = [];
    const recorder = createRecorder({
      db: Promise.resolve(db),
      profileFor: () => undefined,
      report: (p) => reports.push(p),
      onStored: () => Promise.resolve(),
    });
    recorder.record(liveFrame(100));
    recorder.addMarker('x');
    await recorder.stop();
    expect(writes).toEqual([]);
    expect(reports).toEqual([]);
  });
});
