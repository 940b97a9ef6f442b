/**
 * The page's `window.circumplex` debug API (src/app/live/debug-api.ts), as the tests and benchmarks read it. The
 * frame record is the app's own type (src/core/debug-frame.ts); the API around it is restated here because
 * the app's declaration names feature types (the backend) that this Node project does not compile.
 */
import type { Page } from '@playwright/test';
import type { DebugFrame } from '../src/core/debug-frame.ts';

export type { DebugFrame };

export interface DebugApi {
  frames(): DebugFrame[];
  probe(
    input: readonly number[],
  ): Promise<{ va: { valence: number; arousal: number }; probs: readonly number[]; backend: string; profile?: string }>;
  loseGpuDevice(): void;
}

declare global {
  interface Window {
    circumplex?: DebugApi;
  }
}

/** The app's frame records whose results came after page time `after` (ms), oldest first. */
export function readDebugFrames(page: Page, after = -Infinity): Promise<DebugFrame[]> {
  return page.evaluate((t) => window.circumplex!.frames().filter((f) => f.t > t), after);
}
