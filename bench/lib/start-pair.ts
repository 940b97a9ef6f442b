/**
 * The two starts a user lives through, of one pipeline in a fresh browser context: the first visit (empty caches)
 * and a returning one (a reload once the caches are warm: the app's service worker controls the page, the peers'
 * files sit in the HTTP cache). `npm run bench` and `npm run bench:startup` take them alternated between pipelines,
 * so a machine that slows down or speeds up weighs on every pipeline alike.
 */
import type { Browser, Page } from '@playwright/test';
import type { Pipeline } from './pipelines.ts';

/** The wait between a pipeline's first prediction (and, for the app, its service worker taking control) and the reload. */
export const RELOAD_SETTLE_MS = 1500;
/** With fromBlank, how long the blank page stays before the returning visit. */
const FROM_BLANK_WAIT_MS = 1000;

export interface StartPairOptions {
  readonly backend: string;
  /** Longest wait for a first prediction, ms. */
  readonly timeoutMs: number;
  /** The wait before the reload (RELOAD_SETTLE_MS unless a benchmark varies it). */
  readonly settleMs?: number;
  /**
   * The returning visit opened from a blank page (the first visit's page gone a second before) instead of reloaded
   * over it: what an installed app's launch is, without the old page's teardown beside the new page's start.
   */
  readonly fromBlank?: boolean;
}

export interface StartPairHooks {
  /** Right before the reload. */
  readonly beforeReload?: () => void;
  /** Once the warm start has predicted, with the page still open. */
  readonly afterWarm?: (page: Page) => Promise<void>;
}

export interface StartPair {
  /** Page time (ms since navigation start) of the first prediction of the first visit. */
  readonly emptyMs: number;
  /** ... and of the returning visit. */
  readonly warmMs: number;
}

/** Waits until the app's service worker controls `page`: from then on a reload is a returning visit. */
export async function untilReturningVisit(pipeline: Pipeline, page: Page, timeoutMs: number): Promise<void> {
  if (pipeline.name !== 'circumplex') return;
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: timeoutMs, polling: 250 });
}

export async function startPair(
  browser: Browser,
  pipeline: Pipeline,
  options: StartPairOptions,
  hooks: StartPairHooks = {},
): Promise<StartPair> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(pipeline.url(options.backend));
    const emptyMs = await pipeline.firstPrediction(page, options.timeoutMs);
    await untilReturningVisit(pipeline, page, options.timeoutMs);
    // A returning visit comes after the first one has settled, for every pipeline alike: a page reloaded while its first
    // visit is still compiling and optimising starts slower (BENCHMARKS.md: Human's warm start was 828 ms reloaded at
    // once and 555 ms reloaded after 1.5 s, medians of 6).
    await page.waitForTimeout(options.settleMs ?? RELOAD_SETTLE_MS);
    if (options.fromBlank) {
      await page.goto('about:blank');
      await page.waitForTimeout(FROM_BLANK_WAIT_MS);
    }
    hooks.beforeReload?.();
    if (options.fromBlank) await page.goto(pipeline.url(options.backend));
    else await page.reload();
    const warmMs = await pipeline.firstPrediction(page, options.timeoutMs);
    await hooks.afterWarm?.(page);
    return { emptyMs, warmMs };
  } finally {
    await context.close();
  }
}

/** The pipelines' indices in the order of round `round`: reversed every other round. */
export function alternatedOrder(count: number, round: number): number[] {
  const order = [...Array(count).keys()];
  return round % 2 ? order.reverse() : order;
}
