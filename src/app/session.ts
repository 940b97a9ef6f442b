/**
 * The running app outside React: loads the models (manifest -> verified files -> worker), opens the
 * camera, and runs the frame loop, writing everything to the store. React only renders it.
 */
import { allInOrder } from '../core/all-in-order.ts';
import { ModelFileError } from '../core/manifest.ts';
import type { Manifest } from '../core/manifest.ts';
import { STREAMING_STATES } from '../core/streaming-gru.ts';
import { toCameraError } from '../features/camera/camera-error.ts';
import { listCameras, openCamera, stopStream } from '../features/camera/camera.ts';
import { reconnectDelayMs } from '../features/camera/reconnect-delay.ts';
import type { BackendName } from '../features/inference/backend-choice.ts';
import { fetchFaceDetectorModel, fetchLayersModelFiles, loadManifest } from '../features/models/model-files.ts';
import { startPipelineClient } from '../features/pipeline/pipeline-client.ts';
import type { PipelineClient } from '../features/pipeline/pipeline-client.ts';
import { startFrameLoop } from '../features/pipeline/frame-loop.ts';
import type { FrameLatency, FrameLoop } from '../features/pipeline/frame-loop.ts';
import type { ActiveProfile, FrameResult, ModelPayload } from '../features/pipeline/protocol.ts';
import type { CalibrationFrame, CalibrationVerdict, PersonalHead } from '../core/personal-head.ts';
import { installDebugApi } from './debug-api.ts';
import { createFrameHistory } from './frame-history.ts';
import { saveSettings } from './settings-storage.ts';
import type { AppStore, Settings } from './store.ts';
import type { LoadStage } from '../features/pipeline/protocol.ts';

export interface Session {
  /** Opens the camera again after a failure or a stop. */
  retryCamera(): Promise<void>;
  stopCamera(): void;
  selectCamera(deviceId: string): Promise<void>;
  /** Restarts the pipeline on another backend ('auto' = by capability). */
  setBackend(backend: BackendName | 'auto'): Promise<void>;
  updateSettings(patch: Partial<Settings>): void;
  /**
   * Runs `job` with the pipeline worker to itself (video file analysis): the camera's frame loop pauses and
   * the temporal window is reset before and after, so neither source's frames leak into the other's window.
   */
  withWorker<T>(job: (worker: PipelineClient) => Promise<T>): Promise<T>;
  /** Fits a personal correction to captured frames in the pipeline worker (off this thread). */
  fitPersonalHead(frames: readonly CalibrationFrame[]): Promise<{ head: PersonalHead; verdict: CalibrationVerdict; ms: number }>;
  /** The personal correction applied to every frame from now on, also after a pipeline restart; undefined: the shipped model. */
  setProfile(profile: ActiveProfile | undefined): void;
  dispose(): void;
}

/** Frames kept for the charts and the debug API (about 2 minutes at 30 fps). */
export const HISTORY_FRAMES = 4000;
/** Chart repaints per second at most. */
export const CHART_HZ = 10;
const TRAIL_POINTS = 30;
const TIMELINE_SECONDS = 60;

export function wasmBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}vendor/mediapipe`, location.href).href;
}

function tfjsWasmUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}vendor/tfjs/`, location.href).href;
}

async function optionalModel(manifest: Manifest, task: 'face-expression' | 'temporal-va', onBytes: (loaded: number, total: number) => void): Promise<ModelPayload | undefined> {
  const entry = manifest.models.find((m) => m.task === task);
  if (!entry) return undefined;
  const files = await fetchLayersModelFiles(entry, undefined, (p) => onBytes(p.loadedBytes, p.totalBytes));
  return { entry, files };
}

export function startSession(store: AppStore, video: HTMLVideoElement): Session {
  const sessionStart = performance.now();
  let disposed = false;
  let stream: MediaStream | undefined;
  let worker: PipelineClient | undefined;
  let loop: FrameLoop | undefined;
  let generation = 0;
  const history = createFrameHistory(HISTORY_FRAMES);
  let lastChart = 0;
  let lastResultAt: number | undefined;
  /** When a face was last seen (or analysis last (re)started), for "no face for N s". */
  let lastFaceAt = performance.now();
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** A video file is being analysed on the worker. */
  let lent = false;
  let profile: ActiveProfile | undefined;

  const onResult = (frame: FrameResult, { mediaTime, ...latency }: FrameLatency): void => {
    const now = performance.now();
    const s = store.getState();
    const n = s.framesProcessed + 1;
    const analysed = frame.analysis;
    if (frame.tracked >= 0) lastFaceAt = now;
    history.push({
      n,
      t: now,
      mediaTime,
      faces: frame.faces.length,
      box: frame.faces[frame.tracked],
      found: frame.tracked >= 0,
      va: frame.va,
      cnn: analysed?.cnn,
      temporal: frame.temporal,
      coverage: frame.coverage,
      top: analysed ? analysed.probs.indexOf(Math.max(...analysed.probs)) : -1,
      probs: analysed?.probs,
      stages: { grab: latency.grab, ...frame.timings, worker: frame.timings.total, total: latency.total },
      numTensors: frame.numTensors,
      reliable: analysed !== undefined && analysed.quality.issues.length === 0,
      profile: analysed?.profile,
    });
    const dt = lastResultAt === undefined ? undefined : now - lastResultAt;
    lastResultAt = now;
    const fps = dt === undefined || dt <= 0 ? s.fps : s.fps === undefined ? 1000 / dt : s.fps * 0.9 + (1000 / dt) * 0.1;
    const chart = now - lastChart >= 1000 / CHART_HZ ? history.chart(now, TRAIL_POINTS, TIMELINE_SECONDS) : s.chart;
    if (chart !== s.chart) lastChart = now;
    store.setState({
      frame,
      latency,
      fps,
      framesProcessed: n,
      frameError: undefined,
      paused: false,
      noFaceSeconds: frame.phase === 'reset' ? Math.floor((now - lastFaceAt) / 1000) : undefined,
      chart,
      firstPredictionMs: s.firstPredictionMs ?? (frame.va ? now - sessionStart : undefined),
    });
  };

  const startLoopWhenReady = (): void => {
    if (disposed || lent || loop || !worker || !stream || document.visibilityState === 'hidden') return;
    // Frames before a gap (pause, camera change) do not belong to the window after it.
    worker.reset();
    lastFaceAt = performance.now();
    lastResultAt = undefined;
    loop = startFrameLoop(video, worker, onResult, (error) => store.setState({ frameError: error.message }));
  };

  const stopLoop = (): void => {
    loop?.stop();
    loop = undefined;
  };

  async function loadPipeline(): Promise<void> {
    const mine = ++generation;
    const setLoading = (stage: LoadStage | 'download', loadedBytes = 0, totalBytes = 0): void => {
      if (mine === generation && !disposed) store.setState({ detector: { status: 'loading', stage, loadedBytes, totalBytes } });
    };
    setLoading('download');
    try {
      const manifest = await loadManifest();
      const sizes = new Map<string, [number, number]>();
      const onBytes = (task: string) => (loaded: number, total: number) => {
        sizes.set(task, [loaded, total]);
        const all = [...sizes.values()];
        setLoading('download', all.reduce((a, [l]) => a + l, 0), all.reduce((a, [, t]) => a + t, 0));
      };
      // The three models download side by side; with several broken, the first in this order is the one reported.
      const [{ entry, bytes }, expression, temporal] = await allInOrder([
        fetchFaceDetectorModel(manifest),
        optionalModel(manifest, 'face-expression', onBytes('face-expression')),
        optionalModel(manifest, 'temporal-va', onBytes('temporal-va')),
      ] as const);
      const { backend } = store.getState().settings;
      const ready = await startPipelineClient(
        {
          wasmBaseUrl: wasmBaseUrl(),
          model: bytes,
          modelFile: entry.entry,
          expression,
          temporal: expression ? temporal : undefined,
          tfjsWasmUrl: tfjsWasmUrl(),
          backend: backend === 'auto' ? undefined : backend,
          streamingStates: STREAMING_STATES,
        },
        {
          onProgress: (stage) => setLoading(stage),
          onBackend: (b) => {
            if (mine === generation) store.setState({ backend: b });
          },
        },
      );
      if (disposed || mine !== generation) {
        ready.client.dispose();
        return;
      }
      worker = ready.client;
      if (profile) worker.setProfile(profile);
      store.setState({ detector: { status: 'ready' }, backend: ready.backend, temporal: ready.temporal, expression: expression !== undefined });
      startLoopWhenReady();
    } catch (e) {
      if (disposed || mine !== generation) return;
      const message = e instanceof Error ? e.message : String(e);
      store.setState({ detector: { status: 'error', message, file: e instanceof ModelFileError ? e.file : undefined } });
    }
  }

  async function refreshCameras(): Promise<void> {
    const cameras = await listCameras().catch(() => []);
    if (!disposed) store.setState({ cameras });
  }

  /** Shows a freshly opened stream and starts analysing it; the stream is stopped if it cannot play. */
  async function showStream(s: MediaStream): Promise<void> {
    if (disposed) {
      stopStream(s);
      return;
    }
    video.srcObject = s;
    try {
      await video.play();
    } catch (e) {
      stopStream(s);
      video.srcObject = null;
      throw e;
    }
    stream = s;
    const track = s.getVideoTracks()[0];
    // 'ended' fires when the device goes away (unplugged, taken by another app, driver reset), not on our own stop().
    track?.addEventListener('ended', () => cameraLost(s, track.getSettings().deviceId), { once: true });
    store.setState({ camera: { status: 'live', label: track?.label ?? 'camera' } });
    void refreshCameras();
    startLoopWhenReady();
  }

  function cancelReconnect(): void {
    clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
  }

  /** The live camera went away: keep the session (history, charts) and reopen the same device with backoff. */
  function cameraLost(lost: MediaStream, deviceId: string | undefined): void {
    if (disposed || stream !== lost) return;
    stopLoop();
    stopStream(lost);
    stream = undefined;
    video.srcObject = null;
    reconnect(deviceId, 1);
  }

  function reconnect(deviceId: string | undefined, attempt: number): void {
    store.setState({ camera: { status: 'reconnecting', attempt } });
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void (async () => {
        try {
          const s = await openCamera({ deviceId });
          // Stopped, or another camera chosen, while this one was opening.
          if (store.getState().camera.status !== 'reconnecting') {
            stopStream(s);
            return;
          }
          await showStream(s);
        } catch {
          if (!disposed && store.getState().camera.status === 'reconnecting') reconnect(deviceId, attempt + 1);
        }
      })();
    }, reconnectDelayMs(attempt));
  }

  async function startCamera(): Promise<void> {
    cancelReconnect();
    store.setState({ camera: { status: 'starting' } });
    try {
      const { deviceId } = store.getState().settings;
      let s: MediaStream;
      try {
        s = await openCamera({ deviceId });
      } catch (e) {
        // A remembered camera that is gone: fall back to the default one rather than failing.
        if (!deviceId || toCameraError(e).kind !== 'not-found') throw e;
        s = await openCamera({});
      }
      await showStream(s);
    } catch (e) {
      if (disposed) return;
      const error = toCameraError(e);
      store.setState({ camera: { status: 'error', kind: error.kind, message: error.message } });
    }
  }

  function stopCamera(): void {
    cancelReconnect();
    stopLoop();
    stopStream(stream);
    stream = undefined;
    video.srcObject = null;
    store.setState({ camera: { status: 'stopped' } });
  }

  const updateSettings = (patch: Partial<Settings>): void => {
    const settings = { ...store.getState().settings, ...patch };
    store.setState({ settings });
    saveSettings(settings);
  };

  const removeDebugApi = installDebugApi({
    frames: () => history.records(),
    probe: (input) => {
      if (!worker) return Promise.reject(new Error('the pipeline is not ready'));
      return worker.probe(Float32Array.from(input));
    },
    loseGpuDevice: () => worker?.loseGpuDevice(),
  });

  /** A hidden tab analyses nothing (and browsers throttle it anyway); coming back starts a fresh window. */
  const onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') {
      if (!loop) return;
      stopLoop();
      store.setState({ paused: true });
    } else {
      startLoopWhenReady();
      if (!loop) store.setState({ paused: false });
    }
  };
  document.addEventListener('visibilitychange', onVisibilityChange);

  void loadPipeline();
  void startCamera();

  return {
    async retryCamera() {
      if (stream) return;
      await startCamera();
    },
    stopCamera,
    async selectCamera(deviceId) {
      updateSettings({ deviceId });
      stopCamera();
      await startCamera();
    },
    async setBackend(backend) {
      updateSettings({ backend });
      stopLoop();
      worker?.dispose();
      worker = undefined;
      store.setState({ backend: undefined });
      await loadPipeline();
    },
    updateSettings,
    async withWorker(job) {
      if (!worker) throw new Error('the analysis pipeline is not ready yet');
      if (lent) throw new Error('the pipeline is already analysing a video');
      const mine = worker;
      lent = true;
      stopLoop();
      mine.reset();
      try {
        return await job(mine);
      } finally {
        lent = false;
        if (!disposed && worker === mine) mine.reset();
        startLoopWhenReady();
      }
    },
    fitPersonalHead(frames) {
      if (!worker) return Promise.reject(new Error('the analysis pipeline is not ready yet'));
      return worker.calibrate(frames);
    },
    setProfile(next) {
      profile = next;
      worker?.setProfile(next);
    },
    dispose() {
      disposed = true;
      cancelReconnect();
      document.removeEventListener('visibilitychange', onVisibilityChange);
      removeDebugApi();
      stopLoop();
      worker?.dispose();
      stopStream(stream);
      video.srcObject = null;
    },
  };
}
