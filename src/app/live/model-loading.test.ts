import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelFileError } from '../../core/manifest.ts';
import type { Manifest, ModelEntry } from '../../core/manifest.ts';
import { fetchFaceDetectorModel, fetchLayersModelFiles, loadManifest } from '../../features/models/model-files.ts';
import { startPipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { PipelineClient, PipelineReady } from '../../features/pipeline/pipeline-client.ts';
import { createAppStore } from '../store.ts';
import { createPipelineLoader, downloadTotals } from './model-loading.ts';

// The loader's own logic (who starts a load, who takes it over, what the store says) with its two neighbours, the
// downloads and the workers, replaced: both are tested on their own and end to end (e2e/model-errors.spec.ts).
vi.mock('../../features/models/model-files.ts', () => ({
  loadManifest: vi.fn(),
  fetchFaceDetectorModel: vi.fn(),
  fetchLayersModelFiles: vi.fn(),
}));
vi.mock('../../features/pipeline/pipeline-client.ts', () => ({ startPipelineClient: vi.fn() }));

const detectorEntry = { task: 'face-detection', entry: 'face_detector.tflite' } as unknown as ModelEntry;
const expressionEntry = {
  task: 'face-expression',
  name: 'expression-cnn',
  entry: 'expression-cnn/model.json',
  input: { shape: [48, 48, 1], cropMargin: 0.2, cropShiftY: 0, normalisation: { scale: 1 / 255, offset: 0 } },
} as unknown as ModelEntry;

function client(): PipelineClient {
  return { dispose: vi.fn() } as unknown as PipelineClient;
}

function ready(c: PipelineClient): PipelineReady {
  return { client: c, backend: { backend: 'wasm', reason: 'test' }, temporal: false, loadMs: 1 } as unknown as PipelineReady;
}

beforeEach(() => {
  vi.stubGlobal('location', new URL('http://localhost/'));
  vi.mocked(loadManifest).mockResolvedValue({ models: [detectorEntry] } as unknown as Manifest);
  vi.mocked(fetchFaceDetectorModel).mockResolvedValue({ entry: detectorEntry, bytes: new Uint8Array(4) });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.mocked(startPipelineClient).mockReset();
  vi.mocked(fetchLayersModelFiles).mockReset();
});

describe('downloadTotals', () => {
  it('sums the bytes of downloads reported separately, for one progress bar', () => {
    expect(downloadTotals([])).toEqual([0, 0]);
    expect(
      downloadTotals([
        [10, 100],
        [5, 50],
      ]),
    ).toEqual([15, 150]);
  });
});

describe('createPipelineLoader', () => {
  it('lets the first load() take over the load prestart() began, without starting another', async () => {
    const c = client();
    vi.mocked(startPipelineClient).mockResolvedValue(ready(c));
    const store = createAppStore({ backend: 'wasm', theme: 'system', deviceId: undefined });
    const loader = createPipelineLoader(store);
    loader.prestart();
    expect(startPipelineClient).toHaveBeenCalledTimes(1);
    await expect(loader.load()).resolves.toBe(c);
    expect(startPipelineClient).toHaveBeenCalledTimes(1);
    expect(store.getState().detector).toEqual({ status: 'ready' });
    // Only once: a later load (a reload after an error, a backend change) starts afresh.
    await loader.load();
    expect(startPipelineClient).toHaveBeenCalledTimes(2);
  });

  it('starts afresh when the backend changed since prestart(), and disposes what the early load brings', async () => {
    const early = client();
    const later = client();
    let arrive: (r: PipelineReady) => void = () => undefined;
    vi.mocked(startPipelineClient)
      .mockReturnValueOnce(new Promise((resolve) => (arrive = resolve)))
      .mockResolvedValueOnce(ready(later));
    const store = createAppStore({ backend: 'wasm', theme: 'system', deviceId: undefined });
    const loader = createPipelineLoader(store);
    loader.prestart();
    store.setState({ settings: { ...store.getState().settings, backend: 'cpu' } });
    await expect(loader.load()).resolves.toBe(later);
    arrive(ready(early));
    await vi.waitFor(() => expect(early.dispose).toHaveBeenCalled());
    expect(later.dispose).not.toHaveBeenCalled();
  });

  it('keeps the error on screen when other downloads report progress after one file failed', async () => {
    vi.mocked(loadManifest).mockResolvedValue({ models: [detectorEntry, expressionEntry] } as unknown as Manifest);
    vi.mocked(fetchFaceDetectorModel).mockRejectedValue(new ModelFileError('face_detector.tflite', 'is missing'));
    let progress: ((p: { loadedBytes: number; totalBytes: number; file: string }) => void) | undefined;
    let finish: () => void = () => undefined;
    vi.mocked(fetchLayersModelFiles).mockImplementation((_entry, _base, onProgress) => {
      progress = onProgress;
      return new Promise((resolve) => (finish = () => resolve(new Map())));
    });
    // As the real client does: a detector that cannot be fetched fails the start at once.
    vi.mocked(startPipelineClient).mockImplementation((_url, detector, init) => {
      init.catch(() => undefined);
      return detector.then(() => new Promise<PipelineReady>(() => undefined));
    });
    const store = createAppStore({ backend: 'wasm', theme: 'system', deviceId: undefined });
    const loader = createPipelineLoader(store);
    await expect(loader.load()).resolves.toBeUndefined();
    expect(store.getState().detector).toMatchObject({ status: 'error', file: 'face_detector.tflite' });
    progress?.({ loadedBytes: 10, totalBytes: 100, file: 'expression-cnn/weights.bin' });
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().detector).toMatchObject({ status: 'error', file: 'face_detector.tflite' });
  });
});
