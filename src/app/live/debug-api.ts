/**
 * `window.circumplex`: a small read-mostly API for diagnostics and the end-to-end tests, which compare the
 * live readout frame by frame with the video's labels. It exposes nothing the page does not already show.
 *
 *   window.circumplex.frames()           per-frame records, oldest first (the last HISTORY_FRAMES frames)
 *   window.circumplex.probe(pixels)      the expression model (and the personal correction in use) on a preprocessed input -> { va, probs, backend, profile }
 *   window.circumplex.loseGpuDevice()    destroys the WebGPU device, as a driver reset would
 */
import type { ValenceArousal } from '../../core/emotions.ts';
import type { BackendName } from '../../features/inference/backend-choice.ts';
import type { FrameRecord } from './frame-record.ts';

export interface CircumplexDebugApi {
  frames(): FrameRecord[];
  probe(input: readonly number[]): Promise<{ va: ValenceArousal; probs: readonly number[]; backend: BackendName; profile?: string }>;
  loseGpuDevice(): void;
}

declare global {
  interface Window {
    circumplex?: CircumplexDebugApi;
  }
}

export function installDebugApi(api: CircumplexDebugApi): () => void {
  window.circumplex = api;
  return () => {
    if (window.circumplex === api) delete window.circumplex;
  };
}
