/**
 * Stages 1-3 of a frame (stages/1-detect-faces.ts, 2-largest-face.ts, 3-crop.ts) in a thread of their own: MediaPipe
 * face detection and the model's crop of the largest face. Frames come from the model worker in camera order and are
 * answered in that order, so the detector sees increasing timestamps. Every bitmap is closed here on every path.
 */
import type { CropSpec } from '../../core/preprocess.ts';
import { createFaceDetector, FaceDetectorStartError } from '../face/face-detector.ts';
import type { FaceDetectorHandle } from '../face/face-detector.ts';
import { findBrokenRuntimeFile } from '../face/wasm-check.ts';
import type { FaceInit, FaceStageResult, FromFaceWorker, ToFaceWorker } from './face-protocol.ts';
import { detectFaces } from './stages/1-detect-faces.ts';
import { largestFaceIndex } from './stages/2-largest-face.ts';
import { createFaceCropper } from './stages/3-crop.ts';
import type { FaceCropper } from './stages/3-crop.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let detector: FaceDetectorHandle | undefined;
let cropSpec: CropSpec | undefined;
let cropper: FaceCropper | undefined;
let disposed = false;

function post(message: FromFaceWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function init(message: FaceInit): Promise<void> {
  try {
    detector = await createFaceDetector({ wasmBaseUrl: message.wasmBaseUrl, model: message.model, moduleLoader: true });
  } catch (e) {
    const broken = e instanceof FaceDetectorStartError ? await findBrokenRuntimeFile(e.runtimeFiles) : undefined;
    if (broken) {
      post({ type: 'error', stage: 'init', message: `${broken.file}: ${broken.problem}`, file: broken.file, problem: broken.problem });
      return;
    }
    post({ type: 'error', stage: 'init', message: `${message.modelFile}: the face detector could not be loaded (${describe(e)})` });
    return;
  }
  cropSpec = message.cropSpec;
  cropper = createFaceCropper();
  post({ type: 'ready' });
}

function firstStage(frame: ImageBitmap, timestampMs: number): FaceStageResult {
  if (!detector || !cropper) throw new Error('frame received before the detector was ready');
  const { faces, width, height, detectorMs } = detectFaces(detector, frame, timestampMs);
  const tracked = largestFaceIndex(faces);
  const face = faces[tracked];
  const base = { faces, tracked, width, height, detectorMs };
  if (!face || !cropSpec) return { ...base, cropMs: 0 };
  const t0 = performance.now();
  const input = cropper.crop(frame, face, cropSpec);
  return { ...base, cropMs: performance.now() - t0, input };
}

scope.onmessage = async (event: MessageEvent<ToFaceWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      await init(message);
      return;
    case 'frame':
      try {
        if (disposed) return;
        const result = firstStage(message.frame, message.timestampMs);
        post({ type: 'faces', ...result }, result.input ? [result.input.buffer] : []);
      } catch (e) {
        post({ type: 'error', stage: 'frame', message: describe(e) });
      } finally {
        message.frame.close();
      }
      return;
    case 'dispose':
      disposed = true;
      detector?.dispose();
      detector = undefined;
      scope.close();
      return;
  }
};
