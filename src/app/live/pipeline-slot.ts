/**
 * The live session's pipeline: loaded (again on a backend change), the personal correction in use applied
 * after every load, and lent to one video file analysis at a time.
 */
import type { PipelineClient } from '../../features/pipeline/pipeline-client.ts';
import type { ActiveProfile } from '../../features/pipeline/protocol.ts';
import type { PipelineLoader } from './model-loading.ts';

export interface PipelineSlot {
  /** The loaded pipeline; undefined while loading, after a failure or once disposed. */
  readonly current: PipelineClient | undefined;
  /** A video file is being analysed on the pipeline. */
  readonly lent: boolean;
  /** Loads the pipeline with the backend in settings (overtaking any load running) and calls `onLoaded`. */
  load(): Promise<void>;
  /** Disposes the loaded pipeline (before loading another). */
  unload(): void;
  /**
   * Runs `job` with the pipeline to itself, between `pause` and `resume`; the temporal window is reset before and
   * after, so neither source's frames leak into the other's window.
   */
  lend<T>(job: (pipeline: PipelineClient) => Promise<T>, pause: () => void, resume: () => void): Promise<T>;
  /** The personal correction for every frame from now on, also after a reload; undefined: the shipped model. */
  setProfile(profile: ActiveProfile | undefined): void;
  dispose(): void;
}

/** `loader` may have a load under way already (PipelineLoader.prestart): the first load() takes it over. */
export function createPipelineSlot(loader: PipelineLoader, onLoaded: () => void): PipelineSlot {
  let pipeline: PipelineClient | undefined;
  let lent = false;
  let profile: ActiveProfile | undefined;
  let disposed = false;

  return {
    get current() {
      return pipeline;
    },
    get lent() {
      return lent;
    },
    async load() {
      const loaded = await loader.load();
      if (!loaded) return;
      pipeline = loaded;
      if (profile) loaded.setProfile(profile);
      onLoaded();
    },
    unload() {
      pipeline?.dispose();
      pipeline = undefined;
    },
    async lend(job, pause, resume) {
      if (!pipeline) throw new Error('the analysis pipeline is not ready yet');
      if (lent) throw new Error('the pipeline is already analysing a video');
      const mine = pipeline;
      lent = true;
      pause();
      mine.reset();
      try {
        return await job(mine);
      } finally {
        lent = false;
        if (!disposed && pipeline === mine) mine.reset();
        resume();
      }
    },
    setProfile(next) {
      profile = next;
      pipeline?.setProfile(next);
    },
    dispose() {
      disposed = true;
      loader.dispose();
      pipeline?.dispose();
    },
  };
}
