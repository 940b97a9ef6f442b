/**
 * Grabs frames from a playing <video> and feeds the detection worker, outside React: one frame in
 * flight, frames arriving meanwhile are skipped (so latency never builds up), results handed to
 * `onResult` (which writes the store).
 */
import type { PipelineWorker } from './detection-worker.ts';
import type { FrameResult } from './protocol.ts';

export interface FrameLoop {
  stop(): void;
}

export function startFrameLoop(
  video: HTMLVideoElement,
  worker: PipelineWorker,
  onResult: (result: FrameResult, latency: { grab: number; total: number; mediaTime: number | undefined }) => void,
  onError: (error: Error) => void,
): FrameLoop {
  let stopped = false;
  let handle = 0;
  const useVideoFrames = typeof video.requestVideoFrameCallback === 'function';

  const schedule = (): void => {
    if (stopped) return;
    handle = useVideoFrames ? video.requestVideoFrameCallback((now, meta) => void tick(now, meta.mediaTime)) : requestAnimationFrame(() => void tick(performance.now(), undefined));
  };

  /** `mediaTime`: the frame's time in the stream (seconds), when the browser reports it. */
  async function tick(now: number, mediaTime: number | undefined): Promise<void> {
    if (stopped) return;
    if (worker.busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      schedule();
      return;
    }
    try {
      const t0 = performance.now();
      const frame = await createImageBitmap(video);
      const grab = performance.now() - t0;
      if (stopped) {
        frame.close();
        return;
      }
      const result = await worker.detect(frame, now);
      if (!stopped) onResult(result, { grab, total: performance.now() - t0, mediaTime });
    } catch (e) {
      if (!stopped) onError(e instanceof Error ? e : new Error(String(e)));
    }
    schedule();
  }

  schedule();
  return {
    stop() {
      stopped = true;
      if (useVideoFrames) video.cancelVideoFrameCallback(handle);
      else cancelAnimationFrame(handle);
    },
  };
}
