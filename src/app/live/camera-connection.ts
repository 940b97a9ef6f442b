/**
 * The live session's camera: opens the device in settings (the default one when the remembered one is gone),
 * shows it in the <video>, keeps the store's camera state and list of cameras, and when the device goes away
 * reopens the same one with backoff (reconnect-delay.ts), keeping the session's history and charts.
 */
import { toCameraError } from '../../features/camera/camera-error.ts';
import { listCameras, openCamera, stopStream } from '../../features/camera/camera.ts';
import { reconnectDelayMs } from '../../features/camera/reconnect-delay.ts';
import { markStartup } from '../../features/pipeline/startup-marks.ts';
import type { AppStore } from '../store.ts';

export interface CameraConnection {
  /** Opens the camera in settings; failures end in the store's camera state. */
  start(): Promise<void>;
  /** Stops the camera (and any reconnecting) until the next start. */
  stop(): void;
  /** Whether a stream is playing. */
  readonly live: boolean;
  dispose(): void;
}

export interface CameraEvents {
  /** A stream is playing: analysis may start. */
  readonly onLive: () => void;
  /** The playing stream went away: analysis must stop before its stream does. */
  readonly onLost: () => void;
}

/** The camera in settings; a remembered camera that is gone falls back to the default one rather than failing. */
async function openPreferred(store: AppStore): Promise<MediaStream> {
  const { deviceId } = store.getState().settings;
  try {
    return await openCamera({ deviceId });
  } catch (e) {
    if (!deviceId || toCameraError(e).kind !== 'not-found') throw e;
    return openCamera({});
  }
}

/** Plays `s` in `video`; the stream is stopped if it cannot play. */
async function play(video: HTMLVideoElement, s: MediaStream): Promise<void> {
  video.srcObject = s;
  try {
    await video.play();
  } catch (e) {
    stopStream(s);
    video.srcObject = null;
    throw e;
  }
}

export interface Reconnector {
  /** Reopens `deviceId`, waiting longer after each failure, for as long as the store's camera stays 'reconnecting'. */
  start(deviceId: string | undefined): void;
  cancel(): void;
}

export function createReconnector(store: AppStore, show: (s: MediaStream) => Promise<void>, gone: () => boolean): Reconnector {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reconnecting = (): boolean => store.getState().camera.status === 'reconnecting';

  async function attemptOpen(deviceId: string | undefined, attempt: number): Promise<void> {
    try {
      const s = await openCamera({ deviceId });
      // Stopped, or another camera chosen, while this one was opening.
      if (!reconnecting()) {
        stopStream(s);
        return;
      }
      await show(s);
    } catch {
      if (!gone() && reconnecting()) schedule(deviceId, attempt + 1);
    }
  }

  function schedule(deviceId: string | undefined, attempt: number): void {
    store.setState({ camera: { status: 'reconnecting', attempt } });
    timer = setTimeout(() => {
      timer = undefined;
      void attemptOpen(deviceId, attempt);
    }, reconnectDelayMs(attempt));
  }

  return {
    start: (deviceId) => schedule(deviceId, 1),
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

export function createCameraConnection(store: AppStore, video: HTMLVideoElement, events: CameraEvents): CameraConnection {
  let stream: MediaStream | undefined;
  let disposed = false;
  const reconnector = createReconnector(
    store,
    (s) => show(s),
    () => disposed,
  );

  const detach = (): void => {
    stopStream(stream);
    stream = undefined;
    video.srcObject = null;
  };

  /** Shows a freshly opened stream and starts analysing it; the stream is stopped if it cannot play. */
  async function show(s: MediaStream): Promise<void> {
    if (disposed) {
      stopStream(s);
      return;
    }
    await play(video, s);
    stream = s;
    const track = s.getVideoTracks()[0];
    // 'ended' fires when the device goes away (unplugged, taken by another app, driver reset), not on our own stop().
    track?.addEventListener('ended', () => lost(s, track.getSettings().deviceId), { once: true });
    store.setState({ camera: { status: 'live', label: track?.label ?? 'camera' } });
    markStartup('camera-live');
    void listCameras()
      .catch(() => [])
      .then((cameras) => {
        if (!disposed) store.setState({ cameras });
      });
    events.onLive();
  }

  function lost(s: MediaStream, deviceId: string | undefined): void {
    if (disposed || stream !== s) return;
    events.onLost();
    detach();
    reconnector.start(deviceId);
  }

  return {
    async start() {
      reconnector.cancel();
      store.setState({ camera: { status: 'starting' } });
      markStartup('camera-requested');
      try {
        await show(await openPreferred(store));
      } catch (e) {
        if (disposed) return;
        const error = toCameraError(e);
        store.setState({ camera: { status: 'error', kind: error.kind, message: error.message } });
      }
    },
    stop() {
      reconnector.cancel();
      detach();
      store.setState({ camera: { status: 'stopped' } });
    },
    get live() {
      return stream !== undefined;
    },
    dispose() {
      disposed = true;
      reconnector.cancel();
      detach();
    },
  };
}
