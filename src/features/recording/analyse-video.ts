/**
 * Analyses a video file through the same pipeline worker as the live camera, one frame at a time and
 * waiting for each result, so every frame is processed whatever the machine's speed. Frames are reached by
 * seeking (frame-walker.ts); each frame's timestamp is its own media time. The result is a recording like a
 * live one.
 */
import { EMOTIONS } from '../../core/emotions.ts';
import { grabCameraFrame } from '../pipeline/camera-frame.ts';
import type { PipelineClient } from '../pipeline/pipeline-client.ts';
import { walkFrames } from './frame-walker.ts';
import type { SeekableVideo } from './frame-walker.ts';
import { toFrameRow } from './frame-row.ts';
import { RECORDING_FORMAT, RECORDING_SCHEMA_VERSION } from './schema.ts';
import type { FrameRow, Recording } from './schema.ts';

export interface VideoAnalysisProgress {
  readonly frames: number;
  /** Seconds into the video reached so far. */
  readonly mediaTime: number;
  readonly duration: number;
}

export interface VideoAnalysisOptions {
  readonly worker: PipelineClient;
  /** The TF.js backend now running the models (it can change mid-analysis after a lost GPU device). */
  readonly backend: () => string | undefined;
  readonly onProgress: (progress: VideoAnalysisProgress) => void;
  readonly signal: AbortSignal;
}

/**
 * On a loaded machine Chromium now and then completes a seek without presenting the frame (no
 * requestVideoFrameCallback): past this long after 'seeked' the seek is repeated a microsecond further on,
 * which lands on the same frame and presents it.
 */
const PRESENT_TIMEOUT_MS = 250;
const PRESENT_RETRIES = 8;

const MEDIA_ERRORS: Record<number, string> = {
  1: 'loading was aborted',
  2: 'a network error stopped loading',
  3: 'the video could not be decoded',
  4: 'this browser cannot play this format (try WebM VP8/VP9 or MP4 H.264)',
};

async function openVideo(file: File): Promise<{ video: HTMLVideoElement; close(): void }> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  // Shown (a small preview in a corner): Chromium presents frames, and so calls requestVideoFrameCallback, only for rendered, visible videos.
  video.className = 'analysis-video';
  video.setAttribute('aria-hidden', 'true');
  const url = URL.createObjectURL(file);
  const close = (): void => {
    video.removeAttribute('src');
    video.load();
    video.remove();
    URL.revokeObjectURL(url);
  };
  document.body.append(video);
  try {
    await new Promise<void>((resolve, reject) => {
      video.addEventListener('loadeddata', () => resolve(), { once: true });
      video.addEventListener(
        'error',
        () => reject(new Error(`${file.name}: ${MEDIA_ERRORS[video.error?.code ?? 0] ?? 'the video could not be opened'}`)),
        { once: true },
      );
      video.src = url;
    });
    if (!Number.isFinite(video.duration) || video.videoWidth === 0) throw new Error(`${file.name}: no video track of known length`);
    if (typeof video.requestVideoFrameCallback !== 'function')
      throw new Error('this browser cannot step through video frames (no requestVideoFrameCallback)');
  } catch (e) {
    close();
    throw e;
  }
  return { video, close };
}

function seekable(video: HTMLVideoElement): SeekableVideo {
  let shown = 0;
  const once = (target: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onSeeked = (): void => {
        timer = setTimeout(() => {
          video.cancelVideoFrameCallback(handle);
          resolve(undefined);
        }, PRESENT_TIMEOUT_MS);
      };
      const handle = video.requestVideoFrameCallback((_now, meta) => {
        clearTimeout(timer);
        video.removeEventListener('seeked', onSeeked);
        resolve(meta.mediaTime);
      });
      video.addEventListener('seeked', onSeeked, { once: true });
      video.currentTime = target;
    });
  return {
    duration: video.duration,
    async seek(seconds) {
      // Not 0: a seek to the time already set presents no new frame (and the element starts at 0).
      const target = Math.max(seconds, 1e-6);
      if (target === video.currentTime) return shown;
      for (let attempt = 0; attempt <= PRESENT_RETRIES; attempt++) {
        const time = await once(Math.min(target + attempt * 1e-6, video.duration));
        if (time !== undefined) {
          shown = time;
          return time;
        }
      }
      throw new Error(`the frame at ${target.toFixed(3)} s was never shown (seeking does not work for this file)`);
    },
  };
}

export async function analyseVideoFile(file: File, options: VideoAnalysisOptions): Promise<Recording> {
  const startedAt = new Date().toISOString();
  const { video, close } = await openVideo(file);
  const frames: FrameRow[] = [];
  try {
    const duration = video.duration;
    await walkFrames(
      seekable(video),
      async (mediaTime) => {
        // Taken as a live camera frame is, so both reach the detector as the same pixels.
        const frame = await grabCameraFrame(video);
        const t = mediaTime * 1000;
        const result = await options.worker.analyse(frame, t);
        frames.push(toFrameRow(result, t, options.backend()));
        options.onProgress({ frames: frames.length, mediaTime, duration });
      },
      { signal: options.signal },
    );
  } finally {
    close();
  }
  return {
    format: RECORDING_FORMAT,
    schemaVersion: RECORDING_SCHEMA_VERSION,
    id: crypto.randomUUID(),
    name: file.name,
    source: { kind: 'file', name: file.name },
    startedAt,
    labels: [...EMOTIONS],
    baseline: null,
    markers: [],
    frames,
  };
}
