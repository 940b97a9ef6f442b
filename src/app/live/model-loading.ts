/**
 * Loading the pipeline: manifest -> the three model files downloaded side by side and verified -> the pipeline
 * worker started on the backend in settings. Progress and the outcome go to the store's detector state; a load
 * overtaken by a newer one (backend change) or by dispose() hands back nothing and disposes what it started.
 */
import { allInOrder } from '../../core/all-in-order.ts';
import { entryCropSpec } from '../../core/entry-crop-spec.ts';
import { ModelFileError } from '../../core/manifest.ts';
import type { Manifest } from '../../core/manifest.ts';
import { STREAMING_STATES } from '../../core/streaming-gru.ts';
import { fetchFaceDetectorModel, fetchLayersModelFiles, loadManifest } from '../../features/models/model-files.ts';
import { startPipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { PipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { LoadStage, ModelPayload } from '../../features/pipeline/protocol.ts';
import { markStartup } from '../../features/pipeline/startup-marks.ts';
import type { AppStore } from '../store.ts';

function tfjsWasmUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}vendor/tfjs/`, location.href).href;
}

type OnBytes = (loaded: number, total: number) => void;

async function optionalModel(
  manifest: Manifest,
  task: 'face-expression' | 'temporal-va',
  onBytes: OnBytes,
): Promise<ModelPayload | undefined> {
  const entry = manifest.models.find((m) => m.task === task);
  if (!entry) return undefined;
  const files = await fetchLayersModelFiles(entry, undefined, (p) => onBytes(p.loadedBytes, p.totalBytes));
  return { entry, files };
}

/** Sums the bytes of downloads reported separately, for one progress bar. */
export function downloadTotals(sizes: Iterable<readonly [loaded: number, total: number]>): [loaded: number, total: number] {
  let loaded = 0;
  let total = 0;
  for (const [l, t] of sizes) {
    loaded += l;
    total += t;
  }
  return [loaded, total];
}

/**
 * The model files, downloaded side by side. `detector` (with the crop the expression model wants) settles as soon as
 * the detector's file is checked; `all` once every file is, and with several broken the first in the order
 * detector, expression, temporal is the one reported.
 */
function downloadModels(onBytes: OnBytes) {
  const manifest = loadManifest();
  const sizes = new Map<string, readonly [number, number]>();
  const bytesOf =
    (task: string): OnBytes =>
    (loaded, total) => {
      sizes.set(task, [loaded, total]);
      onBytes(...downloadTotals(sizes.values()));
    };
  const detectorFile = manifest.then((m) => fetchFaceDetectorModel(m));
  const all = allInOrder([
    detectorFile,
    manifest.then((m) => optionalModel(m, 'face-expression', bytesOf('face-expression'))),
    manifest.then((m) => optionalModel(m, 'temporal-va', bytesOf('temporal-va'))),
  ] as const).then(([detector, expression, temporal]) => {
    markStartup('models-downloaded');
    return { detector, expression, temporal };
  });
  const detector = Promise.all([manifest, detectorFile]).then(([m, { entry, bytes }]) => {
    const expression = m.models.find((e) => e.task === 'face-expression');
    return { model: bytes, modelFile: entry.entry, ...(expression ? { cropSpec: entryCropSpec(expression) } : {}) };
  });
  return { detector, all };
}

export interface PipelineLoader {
  /**
   * Starts loading now, before anyone asks (main.ts, before the UI's code loads): the workers, the wasm runtime and the
   * downloads start with the page instead of after the UI's first render. The next load() takes this one over.
   */
  prestart(): void;
  /**
   * Loads the pipeline with the backend in settings; undefined when it failed (the store says why) or was overtaken.
   * Takes over a load prestart() began with the same backend, running or done, instead of starting another.
   */
  load(): Promise<PipelineClient | undefined>;
  dispose(): void;
}

export function createPipelineLoader(store: AppStore): PipelineLoader {
  let generation = 0;
  /** The load prestart() began, until a load() takes it (or a newer load or dispose() overtakes it). */
  let headStart: { readonly backend: string; readonly loading: Promise<PipelineClient | undefined> } | undefined;

  async function load(): Promise<PipelineClient | undefined> {
    const mine = ++generation;
    const current = (): boolean => mine === generation;
    // Downloads still running after the load failed (another file was broken) report nothing more.
    let settled = false;
    const setLoading = (stage: LoadStage | 'download', loadedBytes = 0, totalBytes = 0): void => {
      if (current() && !settled) store.setState({ detector: { status: 'loading', stage, loadedBytes, totalBytes } });
    };
    setLoading('download');
    try {
      // The worker starts now and loads its code, the face worker and the wasm runtime while the models download.
      const { detector, all: models } = downloadModels((loaded, total) => setLoading('download', loaded, total));
      const { backend } = store.getState().settings;
      const ready = await startPipelineClient(
        { tfjsWasmUrl: tfjsWasmUrl(), ...(backend === 'auto' ? {} : { backend }) },
        detector,
        models.then(({ expression, temporal }) => ({
          expression,
          temporal: expression ? temporal : undefined,
          streamingStates: STREAMING_STATES,
        })),
        {
          onProgress: (stage) => {
            markStartup(`loading:${stage}`);
            setLoading(stage);
          },
          onBackend: (b) => {
            if (current()) store.setState({ backend: b });
          },
        },
      );
      markStartup('pipeline-ready');
      if (!current()) {
        ready.client.dispose();
        return undefined;
      }
      const { expression } = await models;
      settled = true;
      store.setState({
        detector: { status: 'ready' },
        backend: ready.backend,
        temporal: ready.temporal,
        expression: expression !== undefined,
      });
      return ready.client;
    } catch (e) {
      settled = true;
      if (!current()) return undefined;
      const message = e instanceof Error ? e.message : String(e);
      store.setState({ detector: { status: 'error', message, file: e instanceof ModelFileError ? e.file : undefined } });
      return undefined;
    }
  }

  return {
    prestart() {
      headStart = { backend: store.getState().settings.backend, loading: load() };
    },
    load() {
      const taken = headStart;
      headStart = undefined;
      if (taken && taken.backend === store.getState().settings.backend) return taken.loading;
      return load();
    },
    dispose() {
      // Any load still running is overtaken: it disposes its client when it arrives.
      headStart = undefined;
      generation++;
    },
  };
}
