import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_FRAMES_IN_FLIGHT } from './pipeline-client.ts';
import type { PipelineClient } from './pipeline-client.ts';
import { startFrameLoop } from './frame-loop.ts';
import type { FrameLatency } from './frame-loop.ts';
import type { FrameResult } from './protocol.ts';

/**
 * A camera: `frame()` presents the next video frame to whoever asked for one. Not yet playing by default (the loop
 * waits for the first frame); `playing`: a frame is on screen as the loop starts.
 */
function stubVideo({ playing = false } = {}) {
  let callback: ((now: number, meta: { mediaTime: number }) => void) | undefined;
  let n = 0;
  const video = {
    readyState: playing ? 4 : 1,
    /** Frames shown so far (the one on screen is shownFrames / 30 s into the stream). */
    shownFrames: 0,
    videoWidth: 640,
    requestVideoFrameCallback(cb: (now: number, meta: { mediaTime: number }) => void): number {
      callback = cb;
      return ++n;
    },
    cancelVideoFrameCallback(): void {
      callback = undefined;
    },
  };
  let shown = 0;
  return {
    video: video as unknown as HTMLVideoElement,
    /** Shows frame k (media time k/30 s); false when nobody was waiting for it (the frame is skipped). */
    frame(): boolean {
      video.readyState = 4;
      const cb = callback;
      callback = undefined;
      shown += 1;
      video.shownFrames = shown;
      cb?.(shown * 33, { mediaTime: shown / 30 });
      return cb !== undefined;
    },
  };
}

/** Bitmaps that know whether they were closed. */
interface TestBitmap {
  readonly id: number;
  closed: boolean;
  close(): void;
}

/** A worker stand-in that answers when told to, in the order frames were sent, and keeps the real limit. */
function stubWorker() {
  const queue: { frame: TestBitmap; resolve(r: FrameResult): void; reject(e: Error): void }[] = [];
  const worker = {
    analyse(frame: ImageBitmap) {
      const bitmap = frame as unknown as TestBitmap;
      if (queue.length >= MAX_FRAMES_IN_FLIGHT) {
        bitmap.close();
        return Promise.reject(new Error('full'));
      }
      return new Promise<FrameResult>((resolve, reject) => queue.push({ frame: bitmap, resolve, reject }));
    },
    get busy() {
      return queue.length >= MAX_FRAMES_IN_FLIGHT;
    },
  };
  return {
    worker: worker as unknown as PipelineClient,
    inFlight: () => queue.length,
    /** The worker finishes its oldest frame (closing the bitmap, as the real one does). */
    finish(): number {
      const next = queue.shift()!;
      next.frame.close();
      next.resolve({ timestampMs: next.frame.id } as unknown as FrameResult);
      return next.frame.id;
    },
    fail(message: string): void {
      const next = queue.shift()!;
      next.frame.close();
      next.reject(new Error(message));
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Starts the loop on the stub camera and worker; results go to `onResult`, and a loop error fails the test. */
function startLoop(
  camera: ReturnType<typeof stubVideo>,
  worker: ReturnType<typeof stubWorker>,
  onResult: (result: FrameResult, latency: FrameLatency) => void,
) {
  return startFrameLoop(camera.video, worker.worker, onResult, (e) => {
    throw e;
  });
}

describe('startFrameLoop', () => {
  let bitmaps: TestBitmap[];
  beforeEach(() => {
    bitmaps = [];
    vi.stubGlobal('HTMLMediaElement', { HAVE_CURRENT_DATA: 2 });
    vi.stubGlobal('createImageBitmap', async () => {
      const b: TestBitmap = { id: bitmaps.length + 1, closed: false, close: () => void (b.closed = true) };
      bitmaps.push(b);
      return b;
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('grabs the next frame while the worker analyses the previous one, up to the in-flight limit', async () => {
    const camera = stubVideo();
    const worker = stubWorker();
    const results: number[] = [];
    const loop = startLoop(camera, worker, (r) => results.push(r.timestampMs));
    expect(camera.frame()).toBe(true);
    await settle();
    expect(worker.inFlight()).toBe(1);
    // Frame 2 arrives while frame 1 is analysed: it is grabbed and sent too.
    expect(camera.frame()).toBe(true);
    await settle();
    expect(worker.inFlight()).toBe(2);
    // Frame 3 finds the worker full: skipped, not grabbed.
    camera.frame();
    await settle();
    expect(worker.inFlight()).toBe(2);
    expect(bitmaps).toHaveLength(2);
    worker.finish();
    await settle();
    expect(results).toEqual([1]);
    camera.frame();
    await settle();
    expect(worker.inFlight()).toBe(2);
    worker.finish();
    worker.finish();
    await settle();
    expect(results).toEqual([1, 2, 3]);
    loop.stop();
  });

  it('analyses the frame on screen at once when the camera is already playing, then waits for the next', async () => {
    const camera = stubVideo({ playing: true });
    const worker = stubWorker();
    const results: number[] = [];
    const loop = startLoop(camera, worker, (r) => results.push(r.timestampMs));
    await settle();
    expect(worker.inFlight()).toBe(1);
    worker.finish();
    await settle();
    expect(results).toEqual([1]);
    // The loop asked for the camera's next frame meanwhile.
    expect(camera.frame()).toBe(true);
    await settle();
    expect(worker.inFlight()).toBe(1);
    loop.stop();
  });

  it("takes a VideoFrame's stream time from the frame itself, the frame on screen at the start included", async () => {
    class TestVideoFrame {
      readonly id = bitmaps.length + 1;
      closed = false;
      /** Microseconds, as the browser stamps a camera frame: frame k of the stub camera is at k/30 s. */
      readonly timestamp: number;
      constructor(video: { readyState: number; shownFrames: number }) {
        this.timestamp = Math.round((video.shownFrames / 30) * 1e6);
        bitmaps.push(this);
      }
      close(): void {
        this.closed = true;
      }
    }
    vi.stubGlobal('VideoFrame', TestVideoFrame);
    const camera = stubVideo({ playing: true });
    const worker = stubWorker();
    const seen: (number | undefined)[] = [];
    const loop = startLoop(camera, worker, (_r, latency) => seen.push(latency.mediaTime));
    await settle();
    worker.finish();
    camera.frame();
    await settle();
    worker.finish();
    await settle();
    expect(seen).toEqual([0, 33_333 / 1e6]);
    expect(bitmaps.every((b) => b.closed)).toBe(true);
    loop.stop();
  });

  it('hands results on in camera order with their own grab and total times', async () => {
    const camera = stubVideo();
    const worker = stubWorker();
    const seen: { id: number; latency: FrameLatency }[] = [];
    const loop = startLoop(camera, worker, (r, latency) => seen.push({ id: r.timestampMs, latency }));
    for (let k = 0; k < 6; k++) {
      camera.frame();
      await settle();
      if (worker.inFlight() === MAX_FRAMES_IN_FLIGHT) worker.finish();
      await settle();
    }
    while (worker.inFlight() > 0) worker.finish();
    await settle();
    const ids = seen.map((s) => s.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const times = seen.map((s) => s.latency.mediaTime!);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    for (const { latency } of seen) expect(latency.total).toBeGreaterThanOrEqual(latency.grab);
    loop.stop();
  });

  it('reports a failed frame and goes on with the next; after stop nothing is reported and frames are closed', async () => {
    const camera = stubVideo();
    const worker = stubWorker();
    const results: number[] = [];
    const errors: string[] = [];
    const loop = startFrameLoop(
      camera.video,
      worker.worker,
      (r) => results.push(r.timestampMs),
      (e) => errors.push(e.message),
    );
    camera.frame();
    await settle();
    worker.fail('the model failed');
    await settle();
    expect(errors).toEqual(['the model failed']);
    camera.frame();
    await settle();
    worker.finish();
    await settle();
    expect(results).toEqual([2]);
    camera.frame();
    await settle();
    loop.stop();
    worker.finish();
    await settle();
    expect(results).toEqual([2]);
    expect(camera.frame()).toBe(false);
    expect(bitmaps.every((b) => b.closed)).toBe(true);
  });
});
