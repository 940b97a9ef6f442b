/**
 * The live session, outside React: the composition root of the camera connection, the pipeline loader and the
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
import type { LiveFrameListener } from './live-frames.ts';
import { createPipelineLoader } from './model-loading.ts';

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

export function startLiveSession(store: AppStore, video: HTMLVideoElement): LiveSession {
  let disposed = false;
  let pipeline: PipelineClient | undefined;
  /** A video file is being analysed on the pipeline. */
  let lent = false;
  let profile: ActiveProfile | undefined;
  const frames = createLiveFrames(store, video, performance.now());
  const loader = createPipelineLoader(store);

  const startFramesWhenReady = (): void => {
    if (disposed || lent || frames.running || !pipeline || !camera.live || document.visibilityState === 'hidden') return;
    // Frames before a gap (pause, camera change) do not belong to the window after it.
    pipeline.reset();
    frames.start(pipeline);
  };
  const camera = createCameraConnection(store, video, { onLive: startFramesWhenReady, onLost: () => frames.stop() });

  async function loadPipeline(): Promise<void> {
    const loaded = await loader.load();
    if (!loaded) return;
    pipeline = loaded;
    if (profile) loaded.setProfile(profile);
    startFramesWhenReady();
  }

  const stopCamera = (): void => {
    frames.stop();
    camera.stop();
  };

  const updateSettings = (patch: Partial<Settings>): void => {
    const settings = { ...store.getState().settings, ...patch };
    store.setState({ settings });
    saveSettings(settings);
  };

  const removeDebugApi = installDebugApi({
    frames: () => frames.history.records(),
    probe: (input) => (pipeline ? pipeline.probe(Float32Array.from(input)) : Promise.reject(new Error('the pipeline is not ready'))),
    loseGpuDevice: () => pipeline?.loseGpuDevice(),
  });

  /** A hidden tab analyses nothing (and browsers throttle it anyway); coming back starts a fresh window. */
  const onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') {
      if (!frames.running) return;
      frames.stop();
      store.setState({ paused: true });
    } else {
      startFramesWhenReady();
      if (!frames.running) store.setState({ paused: false });
    }
  };
  document.addEventListener('visibilitychange', onVisibilityChange);

  void loadPipeline();
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
      pipeline?.dispose();
      pipeline = undefined;
      store.setState({ backend: undefined });
      await loadPipeline();
    },
    updateSettings,
    onFrame: (listener) => frames.onFrame(listener),
    async withPipeline(job) {
      if (!pipeline) throw new Error(NOT_READY);
      if (lent) throw new Error('the pipeline is already analysing a video');
      const mine = pipeline;
      lent = true;
      frames.stop();
      mine.reset();
      try {
        return await job(mine);
      } finally {
        lent = false;
        if (!disposed && pipeline === mine) mine.reset();
        startFramesWhenReady();
      }
    },
    fitPersonalHead(captured) {
      return pipeline ? pipeline.calibrate(captured) : Promise.reject(new Error(NOT_READY));
    },
    setProfile(next) {
      profile = next;
      pipeline?.setProfile(next);
    },
    dispose() {
      disposed = true;
      document.removeEventListener('visibilitychange', onVisibilityChange);
      removeDebugApi();
      loader.dispose();
      frames.stop();
      pipeline?.dispose();
      camera.dispose();
    },
  };
}
