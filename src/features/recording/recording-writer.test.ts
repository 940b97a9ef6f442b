import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRecordingWriter, FLUSH_INTERVAL_MS } from './recording-writer.ts';
import { frameAt, memoryDb, sampleRecording } from './test-recording.ts';

const { frames: _frames, ...meta } = sampleRecording();

afterEach(() => vi.useRealTimers());

describe('createRecordingWriter', () => {
  it('flushes batched frames every interval, in order, with the metadata', async () => {
    vi.useFakeTimers();
    const { db, writes } = memoryDb();
    const writer = createRecordingWriter(db, { ...meta, markers: [] }, (e) => {
      throw e;
    });
    writer.append(frameAt(0, 0.1, 0.1));
    writer.append(frameAt(10, 0.2, 0.1));
    await vi.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(writes.map((w) => w.frames.length)).toEqual([2]);
    writer.append(frameAt(20, 0.3, 0.1));
    writer.addMarker({ t: 20, label: 'stimulus' });
    await vi.advanceTimersByTimeAsync(0);
    expect(writes.at(-1)!.session.meta.markers).toEqual([{ t: 20, label: 'stimulus' }]);
    expect(writes.flatMap((w) => w.frames).map((f) => f.t)).toEqual([0, 10, 20]);
    expect(writes.at(-1)!.session).toMatchObject({ status: 'recording', frameCount: 3, durationMs: 20 });
    const final = await writer.finish();
    expect(final.status).toBe('complete');
    expect(writes.at(-1)!.session.status).toBe('complete');
    expect(writer.append(frameAt(30, 0, 0))).toBe(false);
  });

  it('stores each personal calibration the frames name once, with the metadata', async () => {
    const { db, writes } = memoryDb();
    const { profiles: [profile] = [], ...withoutProfiles } = meta;
    const writer = createRecordingWriter(db, withoutProfiles, () => undefined);
    writer.addProfile(profile!);
    writer.addProfile(profile!);
    writer.addProfile({ ...profile!, hash: 'fedcba9876543210' });
    await writer.finish();
    expect(writes.at(-1)!.session.meta.profiles?.map((p) => p.hash)).toEqual([profile!.hash, 'fedcba9876543210']);
  });

  it('keeps frame times strictly increasing', () => {
    const { db } = memoryDb();
    const writer = createRecordingWriter(db, meta, () => undefined);
    expect([10, 10, 5, 11].map((t) => writer.append(frameAt(t, 0, 0)))).toEqual([true, false, false, true]);
    expect(writer.frames).toBe(2);
    void writer.finish();
  });

  it('reports a failed write', async () => {
    const { db } = memoryDb();
    const errors: string[] = [];
    const writer = createRecordingWriter({ ...db, append: () => Promise.reject(new Error('QuotaExceededError')) }, meta, (e) =>
      errors.push(e.message),
    );
    writer.append(frameAt(0, 0, 0));
    await writer.finish();
    expect(errors[0]).toMatch(/QuotaExceeded/);
  });
});
