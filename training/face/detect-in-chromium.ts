/**
 * The app's face detector, usable from Node: MediaPipe tasks-vision's FaceDetector with the app's model
 * (public/models/face_detector.tflite, checked against the manifest) and settings (src/core/face-detector-options.ts),
 * running in headless Debian Chromium. No web server: Playwright routes answer a fake origin from disk and
 * refuse every other request, so detection works offline and sends nothing anywhere.
 *
 * Boxes are the app's boxes: MediaPipe's detections through src/core/face-box.ts (clipped to the image), in
 * source pixels, then ordered largest first (the face a training crop is taken from).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { QUIET_CHROMIUM_ARGS, SYSTEM_CHROMIUM } from '../../harness/chromium.ts';
import { toFaceBoxes } from '../../src/core/face-box.ts';
import type { DetectionLike, FaceBox } from '../../src/core/face-box.ts';
import { FACE_DETECTOR_MODEL_FILE, FACE_DETECTOR_SETTINGS } from '../../src/core/face-detector-options.ts';
import type { FaceDetectorSettings } from '../../src/core/face-detector-options.ts';
import { modelForTask, parseManifest, verifyFile } from '../../src/core/manifest.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { readImage } from '../data/decode.ts';
import { DEFAULT_DETECTION_FIT, fitForDetection, toSourceBox } from './fit-for-detection.ts';
import type { DetectionFit } from './fit-for-detection.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { SYSTEM_CHROMIUM };

const ORIGIN = 'http://circumplex.local';
const TASKS_VISION_DIR = path.join(REPO_ROOT, 'node_modules/@mediapipe/tasks-vision');
const PAGE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page/detector-page.js');

export interface ChromiumFaceDetectorOptions {
  /** How small images are enlarged and framed before detection (full frames are never changed). */
  readonly fit?: DetectionFit;
  /**
   * Clip boxes to the image, as the app does (default true). Off for crop calibration, where a box reaching
   * past a tight crop must keep its true size.
   */
  readonly clipToFrame?: boolean;
  /** Images per page.evaluate round trip (default 16). */
  readonly batchSize?: number;
  /** Default /usr/bin/chromium. */
  readonly executablePath?: string;
  /** Folder holding manifest.json and the detector model (default public/models). */
  readonly modelsDir?: string;
}

export interface ChromiumFaceDetector {
  /** Faces per image, largest first, in the image's own pixels. Paths are decoded by training's decoders. */
  detect(images: readonly (RawImage | string)[]): Promise<FaceBox[][]>;
  close(): Promise<void>;
}

interface ResolvedOptions {
  readonly fit: DetectionFit;
  readonly clipToFrame: boolean;
  readonly batchSize: number;
  readonly executablePath: string;
  readonly modelsDir: string;
}

function resolveOptions(options: ChromiumFaceDetectorOptions): ResolvedOptions {
  const batchSize = options.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`createChromiumFaceDetector: batchSize must be a positive integer, got ${batchSize}`);
  return {
    fit: options.fit ?? DEFAULT_DETECTION_FIT,
    clipToFrame: options.clipToFrame ?? true,
    batchSize,
    executablePath: options.executablePath ?? SYSTEM_CHROMIUM,
    modelsDir: options.modelsDir ?? path.join(REPO_ROOT, 'public/models'),
  };
}

/** The model bytes, verified against the manifest's size and sha256 (ModelFileError names the file otherwise). */
async function readVerifiedModel(modelsDir: string): Promise<{ bytes: Uint8Array; sha256: string }> {
  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = parseManifest(await readFile(manifestFile, 'utf8'), manifestFile);
  const entry = modelForTask(manifest, 'face-detection', manifestFile);
  const file = entry.files.find((f) => f.path === FACE_DETECTOR_MODEL_FILE);
  if (!file) throw new Error(`${manifestFile}: the face-detection model does not list ${FACE_DETECTOR_MODEL_FILE}`);
  const bytes = new Uint8Array(await readFile(path.join(modelsDir, file.path)));
  await verifyFile({ ...file, path: path.join(modelsDir, file.path) }, bytes);
  return { bytes, sha256: file.sha256 };
}

/**
 * Everything that changes the boxes (model, settings, tasks-vision version, fitting, clipping), hashed:
 * a cache key that needs no browser.
 */
export async function detectorFingerprint(options: ChromiumFaceDetectorOptions = {}): Promise<string> {
  const o = resolveOptions(options);
  const manifest = parseManifest(await readFile(path.join(o.modelsDir, 'manifest.json'), 'utf8'));
  const model = modelForTask(manifest, 'face-detection').files.find((f) => f.path === FACE_DETECTOR_MODEL_FILE);
  const pkg = JSON.parse(await readFile(path.join(TASKS_VISION_DIR, 'package.json'), 'utf8')) as { version?: string };
  const key = { model: model?.sha256, tasksVision: pkg.version, settings: FACE_DETECTOR_SETTINGS, fit: o.fit, clip: o.clipToFrame };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
};

/** Serves the fake origin from disk; every other request is refused. */
function serveFromDisk(model: Uint8Array): (route: Route) => Promise<void> {
  return async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    const send = async (file: string): Promise<void> =>
      route.fulfill({ body: await readFile(file), contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    if (url.pathname === '/') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><script type="module" src="/detector-page.js"></script>',
      });
    }
    if (url.pathname === '/detector-page.js') return send(PAGE_SCRIPT);
    if (url.pathname === `/models/${FACE_DETECTOR_MODEL_FILE}`)
      return route.fulfill({ body: Buffer.from(model), contentType: 'application/octet-stream' });
    if (url.pathname.startsWith('/tasks-vision/')) {
      const file = path.join(TASKS_VISION_DIR, decodeURIComponent(url.pathname.slice('/tasks-vision/'.length)));
      if (file.startsWith(TASKS_VISION_DIR + path.sep)) {
        try {
          return await send(file);
        } catch {
          // falls through to 404
        }
      }
    }
    return route.fulfill({ status: 404, body: `not found: ${url.pathname}` });
  };
}

interface PageImage {
  width: number;
  height: number;
  channels: number;
  base64: string;
}

function toPageImage(image: RawImage): PageImage {
  const { width, height, channels, data } = image;
  const n = width * height * channels;
  if (data.length < n) throw new Error(`detect: image data has ${data.length} values, expected ${n} (${width}x${height}x${channels})`);
  const bytes = data instanceof Uint8Array ? data.subarray(0, n) : Uint8Array.from({ length: n }, (_, i) => data[i] ?? 0);
  return { width, height, channels, base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

/** MediaPipe's detections (fitted-image pixels) -> boxes in source pixels, largest first. */
export function sourceFaceBoxes(
  detections: readonly DetectionLike[],
  fitted: { scale: number; originX: number; originY: number },
  source: { width: number; height: number },
  clipToFrame: boolean,
): FaceBox[] {
  const inSource: DetectionLike[] = detections.flatMap((d) => {
    const b = d.boundingBox;
    if (!b) return [];
    const s = toSourceBox({ x: b.originX, y: b.originY, width: b.width, height: b.height }, fitted);
    return [{ boundingBox: { originX: s.x, originY: s.y, width: s.width, height: s.height }, categories: d.categories }];
  });
  const boxes = clipToFrame
    ? toFaceBoxes(inSource, source.width, source.height)
    : inSource.flatMap(({ boundingBox: b, categories }) =>
        b ? [{ x: b.originX, y: b.originY, width: b.width, height: b.height, score: Math.max(0, ...categories.map((c) => c.score)) }] : [],
      );
  return boxes.sort((a, b) => b.width * b.height - a.width * a.height || b.score - a.score);
}

interface PageApi {
  circumplexFaceDetector?: {
    init(args: { modelUrl: string; settings: FaceDetectorSettings }): Promise<void>;
    detect(images: PageImage[]): DetectionLike[][];
    close(): void;
  };
}

async function openPage(context: BrowserContext, model: Uint8Array): Promise<Page> {
  await context.route('**/*', serveFromDisk(model));
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${ORIGIN}/`);
  try {
    await page.waitForFunction(() => (window as PageApi).circumplexFaceDetector !== undefined, undefined, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`face detector page did not load${errors.length > 0 ? `: ${errors.join('; ')}` : ''} (${(e as Error).message})`, {
      cause: e,
    });
  }
  await page.evaluate(
    (args) => {
      const api = (window as PageApi).circumplexFaceDetector;
      if (!api) throw new Error('face detector page not loaded');
      return api.init(args);
    },
    { modelUrl: `/models/${FACE_DETECTOR_MODEL_FILE}`, settings: FACE_DETECTOR_SETTINGS },
  );
  return page;
}

/** Launches Chromium and loads the detector (about 2-4 s); call close() when done. */
export async function createChromiumFaceDetector(options: ChromiumFaceDetectorOptions = {}): Promise<ChromiumFaceDetector> {
  const o = resolveOptions(options);
  const model = await readVerifiedModel(o.modelsDir);
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'circumplex-face-detector-'));
  let context: BrowserContext | undefined;
  const cleanup = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true });
  };
  let page: Page;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: o.executablePath,
      args: [...QUIET_CHROMIUM_ARGS],
      headless: true,
    });
    page = await openPage(context, model.bytes);
  } catch (e) {
    await cleanup();
    throw new Error(`could not start the face detector in Chromium (${o.executablePath}): ${(e as Error).message}`, { cause: e });
  }

  return {
    async detect(inputs) {
      const results: FaceBox[][] = [];
      for (let start = 0; start < inputs.length; start += o.batchSize) {
        const batch = await Promise.all(
          inputs.slice(start, start + o.batchSize).map(async (input) => {
            const image = typeof input === 'string' ? await readImage(input) : input;
            return { image, fitted: fitForDetection(image, o.fit) };
          }),
        );
        const detections = await page.evaluate(
          (images) => {
            const api = (window as PageApi).circumplexFaceDetector;
            if (!api) throw new Error('face detector page not loaded');
            return api.detect(images);
          },
          batch.map((b) => toPageImage(b.fitted.image)),
        );
        batch.forEach((b, i) => results.push(sourceFaceBoxes(detections[i] ?? [], b.fitted, b.image, o.clipToFrame)));
      }
      return results;
    },
    async close() {
      await page.evaluate(() => (window as PageApi).circumplexFaceDetector?.close()).catch(() => undefined);
      await cleanup();
    },
  };
}
