/**
 * Stages 1-3 of a frame (stages/1-detect-faces.ts, 2-largest-face.ts, 3-crop.ts) in a thread of their own: BlazeFace
 * face detection on TF.js's wasm kernels (called directly, without tfjs-core) and the model's crop of the largest
 * face, both from one read of the frame's pixels. Frames come from the model worker in camera order and are answered
 * in that order. Every frame is closed here on every path.
 */
import type { BlazefaceDetector } from '../../core/blazeface-detection.ts';
import type { CropSpec, RawImage } from '../../core/preprocess.ts';
import { createFramePixelReader } from '../face/frame-pixels.ts';
import { FaceDetectorStartError, startFaceDetector, startWasmRuntime } from '../face/start-detector.ts';
import type { CameraFrame } from './camera-frame.ts';
import type { FaceInit, FaceStageResult, FromFaceWorker, ToFaceWorker } from './face-protocol.ts';
import { detectFaces } from './stages/1-detect-faces.ts';
import { largestFaceIndex } from './stages/2-largest-face.ts';
import { cropFace } from './stages/3-crop.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const pixels = createFramePixelReader();
let detector: BlazefaceDetector | undefined;
/**
 * The wasm runtime, started as this worker's code runs (from the app's own /vendor/tfjs/, found from this worker's
 * address), before the detector's model arrives: not on a message from the page, which waits for the page's main
 * thread while it loads the UI.
 */
const runtime = startWasmRuntime(new URL(`${import.meta.env.BASE_URL}vendor/tfjs/`, scope.location.href).href);
// Its failure is reported by 'init', which awaits it.
runtime.catch(() => undefined);
let cropSpec: CropSpec | undefined;
let disposed = false;
/** The channel to the model worker ('connect'); replies go there. */
let port: MessagePort | undefined;
/** The frames being answered, in arrival order. */
let frames: Promise<void> = Promise.resolve();

function post(message: FromFaceWorker, transfer: Transferable[] = []): void {
  (port ?? scope).postMessage(message, transfer);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A small blank frame for the warm-up, in memory: the code and the detector's kernels are the same at any frame size,
 * and the detector's input is 128x128 whatever the frame. Reading a blank frame through a canvas (as camera frames are
 * read) cost 10-60 ms of a start and left the first camera frame's read hardly faster.
 */
const WARM_UP_FRAME: RawImage = { data: new Uint8ClampedArray(160 * 120 * 4), width: 160, height: 120, channels: 4 };

/**
 * One pass of the first stage over a blank frame, and a crop upright and turned: the first camera frame then runs at
 * nearly the steady speed (the detector's kernels and the crop code compiled) instead of several times slower. It
 * runs while the model worker is still loading the expression model.
 */
function warmUp(): void {
  if (detector) detectFaces(detector, WARM_UP_FRAME);
  if (!cropSpec) return;
  const box = { x: 55, y: 35, width: 50, height: 50, score: 1 };
  cropFace(WARM_UP_FRAME, { ...box, roll: 0 }, cropSpec);
  cropFace(WARM_UP_FRAME, { ...box, roll: 0.2 }, cropSpec);
}

async function init(message: FaceInit): Promise<void> {
  try {
    detector = await startFaceDetector(message, runtime);
  } catch (e) {
    const broken = e instanceof FaceDetectorStartError ? e.broken : undefined;
    post({ type: 'error', stage: 'init', message: describe(e), ...(broken ?? {}) });
    return;
  }
  cropSpec = message.cropSpec;
  try {
    warmUp();
  } catch (e) {
    post({ type: 'error', stage: 'init', message: `the face detector failed its first run: ${describe(e)}` });
    return;
  }
  post({ type: 'ready' });
}

async function firstStage(frame: CameraFrame): Promise<FaceStageResult> {
  if (!detector) throw new Error('frame received before the detector was ready');
  const readStart = performance.now();
  const image = await pixels.read(frame);
  const readMs = performance.now() - readStart;
  const { faces, width, height, detectorMs } = detectFaces(detector, image);
  const tracked = largestFaceIndex(faces);
  const face = faces[tracked];
  // Reading the frame's pixels is the detector's input step, as it was inside MediaPipe's detector call.
  const base = { faces, tracked, width, height, detectorMs: readMs + detectorMs };
  if (!face || !cropSpec) return { ...base, cropMs: 0 };
  const t0 = performance.now();
  const input = cropFace(image, face, cropSpec);
  return { ...base, cropMs: performance.now() - t0, input };
}

/** Answers one frame to the model worker and closes it, on every path. */
async function answerFrame(frame: CameraFrame): Promise<void> {
  try {
    if (disposed) return;
    const result = await firstStage(frame);
    post({ type: 'faces', ...result }, result.input ? [result.input.buffer] : []);
  } catch (e) {
    post({ type: 'error', stage: 'frame', message: describe(e) });
  } finally {
    frame.close();
  }
}

async function onMessage(event: MessageEvent<ToFaceWorker>): Promise<void> {
  const message = event.data;
  switch (message.type) {
    case 'connect':
      port = message.port;
      port.onmessage = onMessage;
      return;
    case 'init':
      await init(message);
      return;
    case 'frame':
      // Reading a VideoFrame's pixels is asynchronous: frames are answered one at a time, in arrival order.
      frames = frames.then(() => answerFrame(message.frame));
      await frames;
      return;
    case 'dispose':
      disposed = true;
      detector?.dispose();
      detector = undefined;
      port?.close();
      scope.close();
      return;
  }
}

scope.onmessage = onMessage;
