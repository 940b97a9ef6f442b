/**
 * The three emotion pipelines the benchmark drives, behind one small interface: how to open one on a
 * backend, when its first prediction came, its per-frame stage times, the backend it really runs on, and
 * which of its requests are model files. Circumplex is read through the app's debug API
 * (window.circumplex, src/app/debug-api.ts); the peers through the peer page's window.peerBench
 * (bench/peers/main.ts).
 */
import type { Page } from '@playwright/test';
import { readDebugFrames } from '../../harness/debug-api.ts';
import type { PeerBenchState, PeerName } from '../peers/protocol.ts';

export type PipelineName = 'circumplex' | PeerName;

/** One processed frame: page time of its result (ms) and its stage times (ms; NaN where not measured). */
export interface BenchFrame {
  readonly t: number;
  readonly found: boolean;
  readonly stages: Readonly<Record<string, number>>;
}

export interface Pipeline {
  readonly name: PipelineName;
  /** Stage names in display order; `total` is the whole frame. */
  readonly stages: readonly string[];
  url(backend: string): string;
  /** Waits for the first frame with a prediction; its page time (ms since navigation start). */
  firstPrediction(page: Page, timeoutMs: number): Promise<number>;
  /** Frames whose results came after page time `after`, oldest first. */
  frames(page: Page, after: number): Promise<BenchFrame[]>;
  backend(page: Page): Promise<string>;
  isModelFile(url: string): boolean;
}

/** Our app, served by `vite preview` at `base`. */
export function circumplex(base: string): Pipeline {
  return {
    name: 'circumplex',
    stages: ['grab', 'detect', 'crop', 'cnn', 'gru', 'total'],
    url: (backend) => `${base}/?backend=${backend}`,
    async firstPrediction(page, timeoutMs) {
      const handle = await page.waitForFunction(() => window.circumplex?.frames().find((f) => f.va !== undefined)?.t, undefined, {
        timeout: timeoutMs,
        polling: 50,
      });
      return (await handle.jsonValue()) as number;
    },
    async frames(page, after) {
      const frames = await readDebugFrames(page, after);
      return frames.map((f) => ({ t: f.t, found: f.found, stages: f.stages }));
    },
    backend: async (page) => (await page.getByTestId('hud').getAttribute('data-backend')) ?? '',
    isModelFile: (url) => new URL(url).pathname.startsWith('/models/'),
  };
}

async function peerState(page: Page): Promise<PeerBenchState | undefined> {
  return page.evaluate(() => {
    const s = window.peerBench;
    return s ? { ...s, frames: [] } : undefined;
  });
}

/** A peer on the benchmark page served at `base`. */
export function peer(name: PeerName, base: string): Pipeline {
  return {
    name,
    stages: ['detect', 'crop', 'emotion', 'total'],
    url: (backend) => `${base}/?peer=${name}&backend=${backend}`,
    async firstPrediction(page, timeoutMs) {
      const handle = await page.waitForFunction(
        () => {
          const s = window.peerBench;
          return s?.status === 'error' ? { error: s.error ?? 'failed' } : s?.firstPredictionAt;
        },
        undefined,
        { timeout: timeoutMs, polling: 50 },
      );
      const value = (await handle.jsonValue()) as number | { error: string };
      if (typeof value !== 'number') throw new Error(`${name}: ${value.error}`);
      return value;
    },
    async frames(page, after) {
      const frames = await page.evaluate((t) => window.peerBench!.frames.filter((f) => f.t > t), after);
      return frames.map(({ t, found, ...stages }) => ({ t, found, stages }));
    },
    backend: async (page) => (await peerState(page))?.backend ?? '',
    isModelFile: (url) => new URL(url).pathname.startsWith('/models/'),
  };
}

/** The library version the peer page reports (Human's `version`, face-api's `version`). */
export async function peerVersion(page: Page): Promise<string> {
  return (await peerState(page))?.version ?? '';
}
