/**
 * Grabs frames from a playing <video> and feeds the pipeline worker (through its client), outside React. Up to
 * MAX_FRAMES_IN_FLIGHT frames are in flight: the next camera frame is grabbed and sent while the worker
 * analyses the previous one, so the app keeps up with the camera whenever a frame's analysis fits in the
 * frame interval. Frames arriving while the worker is full are skipped (latency never builds up); results
 * come back in camera order and go to `onResult` (which writes the store).
 *
 * The frame on screen when the loop starts is analysed at once, without waiting for the camera's next one (on
 * average half a frame interval, and more on a busy machine): when the pipeline has just become ready, that is the
 * first prediction's frame.
 */
import { grabCameraFrame, isVideoFrame } from './camera-frame.ts';
import type { CameraFrame } from './camera-frame.ts';
import type { PipelineClient } from './pipeline-client.ts';
import type { FrameResult } from './protocol.ts';
import { markStartup } from './startup-marks.ts';

export interface FrameLoop {
  stop(): void;
}

export interface FrameLatency {
  /** ms to take the video frame on this thread (a VideoFrame, or a bitmap copy where the browser has none). */
  readonly grab: number;
  /** ms from the start of the grab to the result back on this thread, waiting behind an earlier frame included. */
  readonly total: number;
  /**
   * The frame's time in the stream (seconds), when the browser reports it: a VideoFrame's own timestamp (the same
   * value requestVideoFrameCallback reports as mediaTime), else the callback's mediaTime.
   */
  readonly mediaTime: number | undefined;
}

export function startFrameLoop(
  video: HTMLVideoElement,
  pipeline: PipelineClient,
  onResult: (result: FrameResult, latency: FrameLatency) => void,
  onError: (error: Error) => void,
): FrameLoop {
  let stopped = false;
  let handle = 0;
  const useVideoFrames = typeof video.requestVideoFrameCallback === 'function';

  const schedule = (): void => {
    if (stopped) return;
    handle = useVideoFrames
      ? video.requestVideoFrameCallback((now, meta) => void tick(now, meta.mediaTime))
      : requestAnimationFrame(() => void tick(performance.now(), undefined));
  };

  const report = (e: unknown): void => {
    if (!stopped) onError(e instanceof Error ? e : new Error(String(e)));
  };

  async function tick(now: number, callbackMediaTime: number | undefined): Promise<void> {
    if (stopped) return;
    if (pipeline.busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      schedule();
      return;
    }
    const t0 = performance.now();
    let frame: CameraFrame;
    try {
      frame = await grabCameraFrame(video);
    } catch (e) {
      report(e);
      schedule();
      return;
    }
    const grab = performance.now() - t0;
    const mediaTime = isVideoFrame(frame) ? frame.timestamp / 1e6 : callbackMediaTime;
    if (stopped) {
      frame.close();
      return;
    }
    const result = pipeline.analyse(frame, now);
    markStartup('first-frame-sent');
    // The next frame is grabbed while the worker analyses this one.
    schedule();
    try {
      const r = await result;
      if (!stopped) onResult(r, { grab, total: performance.now() - t0, mediaTime });
    } catch (e) {
      report(e);
    }
  }

  void tick(performance.now(), undefined);
  return {
    stop() {
      stopped = true;
      if (useVideoFrames) video.cancelVideoFrameCallback(handle);
      else cancelAnimationFrame(handle);
    },
  };
}
