/**
 * Face boxes for full-frame datasets (CK+ sequences, JAFFE, video frames), found once by the app's detector
 * and cached in `runs/cache/face-boxes/<key>.json`, where the key hashes the dataset name and everything that
 * changes the boxes (detectorFingerprint). An entry is reused only while its source file keeps the same size
 * and modification time. Frames without a face get no box and are reported: cropping them as whole frames
 * would teach the model a framing the app never produces, so the caller decides (usually: drop them).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaceBox } from '../../src/core/face-box.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { DatasetError } from '../data/errors.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { REPO_ROOT, createFaceDetector, detectorFingerprint } from './detect-faces.ts';
import type { FaceDetectorOptions, TrainingFaceDetector } from './detect-faces.ts';

// 2: boxes carry the face's roll (FaceBox.roll).
const CACHE_VERSION = 2;
export const DEFAULT_BOX_CACHE_DIR = path.join(REPO_ROOT, 'runs/cache/face-boxes');

export interface AttachFaceBoxesOptions {
  /** Default runs/cache/face-boxes. */
  readonly cacheDir?: string;
  /** Passed to the detector; part of the cache key. */
  readonly detector?: FaceDetectorOptions;
  /** Starts the detector when some boxes are not cached (default: createFaceDetector). */
  readonly createDetector?: (options: FaceDetectorOptions) => Promise<Pick<TrainingFaceDetector, 'detect' | 'close'>>;
  /** Images decoded and detected per round (bounds memory on large datasets; default 256). */
  readonly chunkSize?: number;
  /** Called after each detected chunk. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface FaceBoxReport {
  /** The cache file read and written. */
  readonly cacheFile: string;
  /** Samples that already had a box (left untouched). */
  readonly alreadyBoxed: number;
  /** Boxes taken from the cache. */
  readonly fromCache: number;
  /** Boxes found by running the detector now. */
  readonly detected: number;
  /** Samples where the detector found no face (they keep no faceBox). */
  readonly noFace: readonly Sample[];
}

interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** Every face found, largest first (empty: none). */
  boxes: FaceBox[];
}

interface CacheFile {
  version: number;
  dataset: string;
  fingerprint: string;
  entries: Record<string, CacheEntry>;
}

/** Samples sharing one source file (rows of fer2013.csv) are told apart by id. */
function entryKeys(samples: readonly Sample[]): Map<Sample, string> {
  const perSource = new Map<string, number>();
  for (const s of samples) perSource.set(s.source, (perSource.get(s.source) ?? 0) + 1);
  return new Map(samples.map((s) => [s, (perSource.get(s.source) ?? 0) > 1 ? `${s.source}#${s.id}` : s.source]));
}

async function readCache(file: string, dataset: string, fingerprint: string): Promise<CacheFile> {
  const empty: CacheFile = { version: CACHE_VERSION, dataset, fingerprint, entries: {} };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return empty;
  }
  try {
    const json = JSON.parse(text) as Partial<CacheFile>;
    if (json.version !== CACHE_VERSION || json.fingerprint !== fingerprint || typeof json.entries !== 'object' || json.entries === null)
      return empty;
    return { ...empty, entries: json.entries };
  } catch {
    // A torn or hand-edited cache is rebuilt, never trusted.
    return empty;
  }
}

async function writeCache(file: string, cache: CacheFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(cache));
  await rename(tmp, file);
}

/** The cache file for a dataset under a detector configuration. */
export async function faceBoxCacheFile(
  datasetName: string,
  options: Pick<AttachFaceBoxesOptions, 'cacheDir' | 'detector'> = {},
): Promise<string> {
  const fingerprint = await detectorFingerprint(options.detector);
  const key = createHash('sha256').update(`${datasetName}\n${fingerprint}`).digest('hex').slice(0, 16);
  return path.join(options.cacheDir ?? DEFAULT_BOX_CACHE_DIR, `${key}.json`);
}

/**
 * Fills `sample.faceBox` (the largest face) for every sample without one, from the cache or by detection.
 * Returns what it did, including the samples where no face was found.
 */
export async function attachFaceBoxes(dataset: Dataset, options: AttachFaceBoxesOptions = {}): Promise<FaceBoxReport> {
  const fingerprint = await detectorFingerprint(options.detector);
  const cacheFile = await faceBoxCacheFile(dataset.name, options);
  const cache = await readCache(cacheFile, dataset.name, fingerprint);
  const todo = dataset.samples.filter((s) => !s.faceBox);
  const keys = entryKeys(todo);

  const missing: { sample: Sample; key: string; size: number; mtimeMs: number }[] = [];
  let fromCache = 0;
  const noFace: Sample[] = [];
  const apply = (sample: Sample, boxes: readonly FaceBox[]): void => {
    const largest = boxes[0];
    if (largest) sample.faceBox = { x: largest.x, y: largest.y, width: largest.width, height: largest.height, roll: largest.roll };
    else noFace.push(sample);
  };
  for (const sample of todo) {
    const key = keys.get(sample) ?? sample.source;
    let info;
    try {
      info = await stat(sample.source);
    } catch (e) {
      throw new DatasetError(sample.source, `cannot read image (${(e as Error).message})`);
    }
    const hit = cache.entries[key];
    if (hit && hit.size === info.size && hit.mtimeMs === info.mtimeMs) {
      apply(sample, hit.boxes);
      fromCache++;
    } else missing.push({ sample, key, size: info.size, mtimeMs: info.mtimeMs });
  }

  if (missing.length > 0) {
    const create = options.createDetector ?? createFaceDetector;
    const detector = await create(options.detector ?? {});
    const chunkSize = options.chunkSize ?? 256;
    try {
      for (let start = 0; start < missing.length; start += chunkSize) {
        const chunk = missing.slice(start, start + chunkSize);
        const images: RawImage[] = await Promise.all(chunk.map((m) => dataset.loadImage(m.sample)));
        const faces = await detector.detect(images);
        chunk.forEach((m, i) => {
          const boxes = faces[i] ?? [];
          cache.entries[m.key] = { size: m.size, mtimeMs: m.mtimeMs, boxes };
          apply(m.sample, boxes);
        });
        // Written per chunk, so an interrupted run keeps what it found.
        await writeCache(cacheFile, cache);
        options.onProgress?.(Math.min(start + chunkSize, missing.length), missing.length);
      }
    } finally {
      await detector.close();
    }
  }
  return { cacheFile, alreadyBoxed: dataset.samples.length - todo.length, fromCache, detected: missing.length, noFace };
}
