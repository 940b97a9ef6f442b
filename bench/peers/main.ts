/**
 * Benchmark page for the peers' emotion pipelines, each from its own browser ESM bundle (which carries its
 * own TF.js 4.22): `?peer=human|face-api&backend=wasm|webgl|webgpu`. The camera, the frame loop (one frame
 * in flight, driven by requestVideoFrameCallback, frames arriving meanwhile skipped) and the backend are
 * those of the app, so the figures compare pipelines, not harnesses. Models and the TF.js wasm binaries are
 * served locally by bench/lib/servers.ts: nothing is fetched from a CDN.
 */
import type { PeerBenchState, PeerFrame, PeerName } from './protocol.ts';
import { PEERS } from './protocol.ts';

/** One call of a peer's pipeline on the current video frame. */
type Step = (video: HTMLVideoElement) => Promise<Omit<PeerFrame, 't'>>;

const WASM_PATH = '/tfjs-wasm/';

/** The part of TF.js both bundles export at run time (face-api's typings declare only a subset). */
interface TfRuntime {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  setWasmPaths?(prefix: string): void;
}

async function createHuman(backend: string, state: PeerBenchState): Promise<Step> {
  const { Human } = await import('@vladmandic/human');
  const off = { enabled: false };
  // Only the face detector and the emotion model; every result cache and frame skip off, so each frame is computed.
  const human = new Human({
    backend: backend as 'wasm' | 'webgl' | 'webgpu',
    wasmPath: WASM_PATH,
    modelBasePath: '/models/human/',
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: 1, skipFrames: 0, skipTime: 0, return: false },
      mesh: off,
      iris: off,
      attention: off,
      description: off,
      antispoof: off,
      liveness: off,
      gear: off,
      emotion: { enabled: true, skipFrames: 0, skipTime: 0 },
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
  });
  await human.load();
  state.backend = human.tf.getBackend() as string;
  state.version = human.version;
  return async (video) => {
    const t0 = performance.now();
    const result = await human.detect(video);
    const total = performance.now() - t0;
    const face = result.face[0];
    const emotionMs = result.performance['emotion'] ?? NaN;
    return {
      total,
      detect: (result.performance['face'] ?? NaN) - emotionMs,
      crop: NaN,
      emotion: emotionMs,
      found: face !== undefined && (face.emotion?.length ?? 0) > 0,
    };
  };
}

async function createFaceApi(backend: string, state: PeerBenchState): Promise<Step> {
  const faceapi = await import('@vladmandic/face-api');
  const tf = faceapi.tf as unknown as TfRuntime;
  tf.setWasmPaths?.(WASM_PATH);
  if (!(await tf.setBackend(backend))) throw new Error(`face-api: its TF.js bundle cannot use the ${backend} backend`);
  await tf.ready();
  await faceapi.nets.tinyFaceDetector.loadFromUri('/models/face-api/');
  await faceapi.nets.faceExpressionNet.loadFromUri('/models/face-api/');
  state.backend = tf.getBackend();
  state.version = faceapi.version;
  // Its defaults (input 416, score 0.5): what detectSingleFace(video, new TinyFaceDetectorOptions()) uses.
  const options = new faceapi.TinyFaceDetectorOptions();
  // detectSingleFace(...).withFaceExpressions() split into its three steps so each can be timed.
  return async (video) => {
    const t0 = performance.now();
    const detection = await faceapi.detectSingleFace(video, options);
    const t1 = performance.now();
    if (!detection) return { total: t1 - t0, detect: t1 - t0, crop: NaN, emotion: NaN, found: false };
    const [face] = await faceapi.extractFaces(video, [detection]);
    const t2 = performance.now();
    const expressions = face ? await faceapi.nets.faceExpressionNet.predictExpressions(face) : undefined;
    const t3 = performance.now();
    return { total: t3 - t0, detect: t1 - t0, crop: t2 - t1, emotion: t3 - t2, found: expressions !== undefined };
  };
}

async function openCamera(): Promise<HTMLVideoElement> {
  const video = document.getElementById('camera') as HTMLVideoElement;
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  await video.play();
  return video;
}

function runLoop(video: HTMLVideoElement, step: Step, state: PeerBenchState): void {
  let busy = false;
  const tick = async (): Promise<void> => {
    if (!busy && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      busy = true;
      try {
        const frame = { ...(await step(video)), t: performance.now() };
        state.frames.push(frame);
        if (frame.found) state.firstPredictionAt ??= frame.t;
      } catch (e) {
        state.status = 'error';
        state.error = e instanceof Error ? e.message : String(e);
        return;
      }
      busy = false;
    }
    video.requestVideoFrameCallback(() => void tick());
  };
  video.requestVideoFrameCallback(() => void tick());
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const peer = params.get('peer') as PeerName | null;
  const backend = params.get('backend') ?? 'wasm';
  if (!peer || !PEERS.includes(peer)) throw new Error(`peer page: ?peer= must be one of ${PEERS.join(', ')}, got ${String(peer)}`);
  const state: PeerBenchState = {
    peer,
    status: 'loading',
    backend: '',
    version: '',
    error: undefined,
    loadedAt: undefined,
    firstPredictionAt: undefined,
    frames: [],
  };
  window.peerBench = state;
  try {
    // Camera and models load in parallel, as the app does.
    const [video, step] = await Promise.all([openCamera(), peer === 'human' ? createHuman(backend, state) : createFaceApi(backend, state)]);
    state.loadedAt = performance.now();
    state.status = 'running';
    runLoop(video, step, state);
  } catch (e) {
    state.status = 'error';
    state.error = e instanceof Error ? e.message : String(e);
  }
}

void main();
