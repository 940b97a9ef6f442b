/**
 * The frame loop's wiring: runs `startFrameLoop` on the camera's video with the pipeline client, builds each
 * result into one LiveFrame, and hands it to the history, the store and every other listener (recorder,
 * calibrations). The store gets the latest frame and figures; charts at most CHART_HZ times a second.
 */
import { startFrameLoop } from '../../features/pipeline/frame-loop.ts';
import type { FrameLatency, FrameLoop } from '../../features/pipeline/frame-loop.ts';
import type { PipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { FrameResult } from '../../features/pipeline/protocol.ts';
import { markStartup } from '../../features/pipeline/startup-marks.ts';
import type { AppStore } from '../store.ts';
import { createFrameHistory } from './frame-history.ts';
import type { FrameHistory } from './frame-history.ts';
import { buildLiveFrame } from './frame-record.ts';
import type { LiveFrame } from './frame-record.ts';
import { chartDue, noFaceSeconds, smoothedFps } from './frame-stats.ts';

/** Frames kept for the charts and the debug API (about 2 minutes at 30 fps). */
export const HISTORY_FRAMES = 4000;
/** Chart repaints per second at most. */
export const CHART_HZ = 10;
const TRAIL_POINTS = 30;
const TIMELINE_SECONDS = 60;

export type LiveFrameListener = (frame: LiveFrame) => void;

export interface LiveFrames {
  /** Starts analysing the video with `pipeline`, the figures starting afresh (the caller resets the pipeline's window). */
  start(pipeline: PipelineClient): void;
  stop(): void;
  readonly running: boolean;
  /** Adds a listener for every processed frame; returns its removal. */
  onFrame(listener: LiveFrameListener): () => void;
  readonly history: FrameHistory;
}

/** Writes each frame and the figures derived from it to the store. */
function createStorePublisher(store: AppStore, history: FrameHistory, startedAt: number) {
  let lastChart = 0;
  let lastResultAt: number | undefined;
  /** When a face was last seen (or analysis last (re)started), for "no face for N s". */
  let lastFaceAt = performance.now();
  return {
    restart(): void {
      lastFaceAt = performance.now();
      lastResultAt = undefined;
    },
    publish({ result, latency, record }: LiveFrame): void {
      if (result.va) markStartup('first-prediction');
      const now = record.t;
      const s = store.getState();
      if (record.found) lastFaceAt = now;
      const fps = smoothedFps(s.fps, lastResultAt === undefined ? undefined : now - lastResultAt);
      lastResultAt = now;
      const chart = chartDue(now, lastChart, CHART_HZ) ? history.chart(now, TRAIL_POINTS, TIMELINE_SECONDS) : s.chart;
      if (chart !== s.chart) lastChart = now;
      store.setState({
        frame: result,
        latency,
        fps,
        framesProcessed: record.n,
        frameError: undefined,
        paused: false,
        noFaceSeconds: noFaceSeconds(result.phase, now, lastFaceAt),
        chart,
        firstPredictionMs: s.firstPredictionMs ?? (result.va ? now - startedAt : undefined),
      });
    },
  };
}

export function createLiveFrames(store: AppStore, video: HTMLVideoElement, startedAt: number): LiveFrames {
  const history = createFrameHistory(HISTORY_FRAMES);
  const publisher = createStorePublisher(store, history, startedAt);
  const listeners = new Set<LiveFrameListener>();
  let loop: FrameLoop | undefined;

  const onResult = (result: FrameResult, latency: FrameLatency): void => {
    const s = store.getState();
    const frame = buildLiveFrame(result, latency, { n: s.framesProcessed + 1, now: performance.now(), backend: s.backend?.backend });
    history.push(frame.record);
    publisher.publish(frame);
    for (const listener of listeners) listener(frame);
  };

  return {
    start(pipeline) {
      publisher.restart();
      loop = startFrameLoop(video, pipeline, onResult, (error) => store.setState({ frameError: error.message }));
    },
    stop() {
      loop?.stop();
      loop = undefined;
    },
    get running() {
      return loop !== undefined;
    },
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    history,
  };
}
