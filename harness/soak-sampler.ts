/**
 * Readings of a running app for long-session checks (bench/soak.ts and e2e/soak.spec.ts): frames processed,
 * the pipeline worker's live tensor count (tf.memory().numTensors, reported with every frame) and the
 * page's JS heap after a forced garbage collection (CDP), so growth means retained objects, not garbage.
 * The page is read through its debug API (`window.circumplex`, declared in harness/debug-api.ts).
 */
import type { CDPSession, Page } from '@playwright/test';

export interface SoakSample {
  /** Seconds since the first sample. */
  readonly seconds: number;
  /** Frames processed since the session started. */
  readonly frames: number;
  /** Processed frames per second since the previous sample. */
  readonly fps: number;
  /** tf.memory().numTensors in the worker after the latest frame. */
  readonly numTensors: number;
  /** Page JS heap in use after a full GC, bytes. */
  readonly heapBytes: number;
  /** Frames in the sample window where a face was analysed. */
  readonly faceFrames: number;
}

export interface Sampler {
  sample(): Promise<SoakSample>;
}

export async function createSampler(page: Page, cdp: CDPSession): Promise<Sampler> {
  await cdp.send('HeapProfiler.enable');
  let first: number | undefined;
  let previous: { frames: number; t: number } | undefined;
  return {
    async sample() {
      const last = await page.evaluate(() => {
        const api = window.circumplex;
        const records = api?.frames() ?? [];
        const latest = records.at(-1);
        return latest
          ? { n: latest.n, t: latest.t, numTensors: latest.numTensors, found: records.filter((r) => r.found).length }
          : undefined;
      });
      if (!last) throw new Error('soak: the app has not processed a frame yet (window.circumplex.frames() is empty)');
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      first ??= last.t;
      const fps = previous && last.t > previous.t ? ((last.n - previous.frames) * 1000) / (last.t - previous.t) : 0;
      previous = { frames: last.n, t: last.t };
      return {
        seconds: (last.t - first) / 1000,
        frames: last.n,
        fps,
        numTensors: last.numTensors,
        heapBytes: heap.usedSize,
        faceFrames: last.found,
      };
    },
  };
}

export function formatSample(s: SoakSample): string {
  return [
    s.seconds.toFixed(0).padStart(7),
    String(s.frames).padStart(8),
    s.fps.toFixed(1).padStart(6),
    String(s.numTensors).padStart(8),
    (s.heapBytes / 2 ** 20).toFixed(2).padStart(9),
  ].join(' ');
}

export const SAMPLE_HEADER = '      s   frames    fps  tensors  heap MiB';

/** Waits until the app has processed `frames` frames in this session (polling the debug API). */
export async function waitForFrames(page: Page, frames: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction((n) => (window.circumplex?.frames().at(-1)?.n ?? 0) >= n, frames, { timeout: timeoutMs, polling: 500 });
}
