/**
 * The live session, outside React: the composition root of the camera connection, the pipeline (slot) and the
 * frame loop's wiring. It decides when frames are analysed (a camera playing, a pipeline loaded, the tab visible,
 * the pipeline not lent to a video file), and installs the debug API. React only renders the store.
 */
import type { CalibrationFrame, CalibrationVerdict, PersonalHead } from '../../core/personal-head.ts';
import type { BackendName } from '../../features/inference/backend-choice.ts';
import type { PipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { ActiveProfile } from '../../features/pipeline/protocol.ts';
import { saveSettings } from '../settings-storage.ts';
import type { AppStore, Settings } from '../store.ts';
import { createCameraConnection } from './camera-connection.ts';
import { installDebugApi } from './debug-api.ts';
import { createLiveFrames } from './live-frames.ts';
import type { LiveFrameListener, LiveFrames } from './live-frames.ts';
import type { PipelineLoader } from './model-loading.ts';
import { createPipelineSlot } from './pipeline-slot.ts';

export interface LiveSession {
  /** Opens the camera again after a failure or a stop. */
  retryCamera(): Promise<void>;
  stopCamera(): void;
  selectCamera(deviceId: string): Promise<void>;
  /** Restarts the pipeline on another backend ('auto' = by capability). */
  setBackend(backend: BackendName | 'auto'): Promise<void>;
  updateSettings(patch: Partial<Settings>): void;
  /** Adds a listener for every processed live frame; returns its removal. */
  onFrame(listener: LiveFrameListener): () => void;
  /**
   * Runs `job` with the pipeline to itself (video file analysis): the camera's frame loop pauses and the
   * temporal window is reset before and after, so neither source's frames leak into the other's window.
   */
  withPipeline<T>(job: (pipeline: PipelineClient) => Promise<T>): Promise<T>;
  /** Fits a personal correction to captured frames in the pipeline worker (off this thread). */
  fitPersonalHead(frames: readonly CalibrationFrame[]): Promise<{ head: PersonalHead; verdict: CalibrationVerdict; ms: number }>;
  /** The personal correction applied to every frame from now on, also after a pipeline restart; undefined: the shipped model. */
  setProfile(profile: ActiveProfile | undefined): void;
  dispose(): void;
}

const NOT_READY = 'the analysis pipeline is not ready yet';

function saveSettingsPatch(store: AppStore, patch: Partial<Settings>): void {
  const settings = { ...store.getState().settings, ...patch };
  store.setState({ settings });
  saveSettings(settings);
}

/** A hidden tab analyses nothing (and browsers throttle it anyway); coming back starts a fresh window. */
function watchVisibility(store: AppStore, frames: LiveFrames, resume: () => void): () => void {
  const onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') {
      if (!frames.running) return;
      frames.stop();
      store.setState({ paused: true });
    } else {
      resume();
      if (!frames.running) store.setState({ paused: false });
    }
  };
  document.addEventListener('visibilitychange', onVisibilityChange);
  return () => document.removeEventListener('visibilitychange', onVisibilityChange);
}

/** `loader` loads the pipeline into `store` (createPipelineLoader), possibly started already (prestart). */
export function startLiveSession(store: AppStore, video: HTMLVideoElement, loader: PipelineLoader): LiveSession {
  let disposed = false;
  const frames = createLiveFrames(store, video, performance.now());
  const startFramesWhenReady = (): void => {
    const pipeline = slot.current;
    if (disposed || slot.lent || frames.running || !pipeline || !camera.live || document.visibilityState === 'hidden') return;
    // Frames before a gap (pause, camera change) do not belong to the window after it.
    pipeline.reset();
    frames.start(pipeline);
  };
  const slot = createPipelineSlot(loader, startFramesWhenReady);
  const camera = createCameraConnection(store, video, { onLive: startFramesWhenReady, onLost: () => frames.stop() });
  const stopCamera = (): void => {
    frames.stop();
    camera.stop();
  };
  const updateSettings = (patch: Partial<Settings>): void => saveSettingsPatch(store, patch);
  const removeDebugApi = installDebugApi({
    frames: () => frames.history.records(),
    probe: (input) => slot.current?.probe(Float32Array.from(input)) ?? Promise.reject(new Error('the pipeline is not ready')),
    loseGpuDevice: () => slot.current?.loseGpuDevice(),
  });
  const unwatchVisibility = watchVisibility(store, frames, startFramesWhenReady);

  void slot.load();
  void camera.start();

  return {
    async retryCamera() {
      if (camera.live) return;
      await camera.start();
    },
    stopCamera,
    async selectCamera(deviceId) {
      updateSettings({ deviceId });
      stopCamera();
      await camera.start();
    },
    async setBackend(backend) {
      updateSettings({ backend });
      frames.stop();
      slot.unload();
      store.setState({ backend: undefined });
      await slot.load();
    },
    updateSettings,
    onFrame: (listener) => frames.onFrame(listener),
    withPipeline: (job) => slot.lend(job, () => frames.stop(), startFramesWhenReady),
    fitPersonalHead: (captured) => slot.current?.calibrate(captured) ?? Promise.reject(new Error(NOT_READY)),
    setProfile: (next) => slot.setProfile(next),
    dispose() {
      disposed = true;
      unwatchVisibility();
      removeDebugApi();
      frames.stop();
      slot.dispose();
      camera.dispose();
    },
  };
}
