/**
 * The running app outside React: loads the detector (manifest -> verified model -> worker), opens
 * the camera, and runs the frame loop, writing everything to the store. React only renders it.
 */
import { ModelFileError } from '../core/manifest.ts';
import { toCameraError } from '../features/camera/camera-error.ts';
import { openCamera, stopStream } from '../features/camera/camera.ts';
import { fetchFaceDetectorModel, loadManifest } from '../features/models/model-files.ts';
import { startDetectionWorker } from '../features/pipeline/detection-worker.ts';
import type { DetectionWorker } from '../features/pipeline/detection-worker.ts';
import { startFrameLoop } from '../features/pipeline/frame-loop.ts';
import type { FrameLoop } from '../features/pipeline/frame-loop.ts';
import type { AppStore } from './store.ts';

export interface Session {
  /** Opens the camera again after a failure (the retry button). */
  retryCamera(): Promise<void>;
  dispose(): void;
}

export function wasmBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}vendor/mediapipe`, location.href).href;
}

export function startSession(store: AppStore, video: HTMLVideoElement): Session {
  let disposed = false;
  let stream: MediaStream | undefined;
  let worker: DetectionWorker | undefined;
  let loop: FrameLoop | undefined;

  const startLoopWhenReady = (): void => {
    if (disposed || loop || !worker || !stream) return;
    loop = startFrameLoop(
      video,
      worker,
      (frame) => store.setState((s) => ({ frame, framesProcessed: s.framesProcessed + 1, frameError: undefined })),
      (error) => store.setState({ frameError: error.message }),
    );
  };

  async function loadDetector(): Promise<void> {
    try {
      const manifest = await loadManifest();
      const { entry, bytes } = await fetchFaceDetectorModel(manifest);
      const w = await startDetectionWorker({ wasmBaseUrl: wasmBaseUrl(), model: bytes, modelFile: entry.entry });
      if (disposed) {
        w.dispose();
        return;
      }
      worker = w;
      store.setState({ detector: { status: 'ready' } });
      startLoopWhenReady();
    } catch (e) {
      if (disposed) return;
      const message = e instanceof Error ? e.message : String(e);
      store.setState({ detector: { status: 'error', message, file: e instanceof ModelFileError ? e.file : undefined } });
    }
  }

  async function startCamera(): Promise<void> {
    store.setState({ camera: { status: 'starting' } });
    try {
      const s = await openCamera();
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
      store.setState({ camera: { status: 'live', label: s.getVideoTracks()[0]?.label ?? 'camera' } });
      startLoopWhenReady();
    } catch (e) {
      if (disposed) return;
      const error = toCameraError(e);
      store.setState({ camera: { status: 'error', kind: error.kind, message: error.message } });
    }
  }

  void loadDetector();
  void startCamera();

  return {
    async retryCamera() {
      if (stream) return;
      await startCamera();
    },
    dispose() {
      disposed = true;
      loop?.stop();
      worker?.dispose();
      stopStream(stream);
      video.srcObject = null;
    },
  };
}
