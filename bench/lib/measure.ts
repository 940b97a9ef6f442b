/**
 * One pipeline on one backend in a fresh browser context: cold start to the first prediction with empty
 * caches, again after a reload once the caches are warm (the app's service worker controls the page; the
 * peers' files sit in the HTTP cache), then per-frame stage times and sustained fps over a fixed window
 * after warm-up, the bytes it fetched, and the JS heap after a forced garbage collection. `npm run bench` takes the
 * start-up figures from more starts, alternated between the pipelines (start-pair.ts, withStarts).
 */
import type { Browser, CDPSession, Page, Response } from '@playwright/test';
import type { BenchFrame, Pipeline } from './pipelines.ts';
import { RELOAD_SETTLE_MS, untilReturningVisit } from './start-pair.ts';
import type { StartPair } from './start-pair.ts';
import { median, rate, summarise } from './stats.ts';
import type { Summary } from './stats.ts';

export interface MeasureOptions {
  /** Length of the measured window, seconds. */
  readonly seconds: number;
  /** Frames processed after the cached reload before the window opens (kernels compiled, caches filled). */
  readonly warmUpFrames: number;
  /** Longest wait for a first prediction, ms. */
  readonly timeoutMs: number;
}

export interface Measurement {
  readonly pipeline: string;
  readonly requested: string;
  /** The backend the pipeline ran on ('' when it never started). */
  readonly backend: string;
  /** Why there are no figures, when it could not run. */
  readonly error: string | undefined;
  /** The median of coldUncachedSamplesMs. */
  readonly coldUncachedMs: number;
  /** The median of coldCachedSamplesMs. */
  readonly coldCachedMs: number;
  /** The first prediction of each first visit measured (empty caches), ms since navigation start. */
  readonly coldUncachedSamplesMs: readonly number[];
  /** ... and of the returning visit after each of them (warm caches). */
  readonly coldCachedSamplesMs: readonly number[];
  readonly stages: Readonly<Record<string, Summary>>;
  readonly fps: { readonly fps: number; readonly spread: number };
  /** Video frames the page was handed per second over the window (requestVideoFrameCallback): the ceiling for fps. */
  readonly cameraFps: number;
  /** Share of the window's frames where a face was found. */
  readonly faceShare: number;
  /** Bytes of the model files fetched during the uncached start. */
  readonly modelBytes: number;
  /** Bytes of everything the page and its workers fetched during the uncached start (code, wasm, models), decoded. */
  readonly pageBytes: number;
  /** The same responses' bodies as sent over the network (compressed where the server compressed them). */
  readonly transferredBytes: number;
  /** JS heap in use after a forced GC: the page plus its workers, bytes. */
  readonly heapBytes: number;
  /** heapBytes per part: 'page', then each dedicated worker by its name (or script file), bytes. */
  readonly heapParts: Readonly<Record<string, number>>;
}

function failed(pipeline: Pipeline, requested: string, error: string): Measurement {
  return {
    pipeline: pipeline.name,
    requested,
    backend: '',
    error,
    coldUncachedMs: NaN,
    coldCachedMs: NaN,
    coldUncachedSamplesMs: [],
    coldCachedSamplesMs: [],
    stages: {},
    fps: { fps: NaN, spread: NaN },
    cameraFps: NaN,
    faceShare: NaN,
    modelBytes: NaN,
    pageBytes: NaN,
    transferredBytes: NaN,
    heapBytes: NaN,
    heapParts: {},
  };
}

interface ResponseBytes {
  /** The body as the page received it (decoded). */
  readonly decoded: number;
  /** The body as sent (Content-Encoding applied). */
  readonly transferred: number;
}

async function responseBytes(response: Response): Promise<ResponseBytes> {
  const decoded = (await response.body().catch(() => Buffer.alloc(0))).length;
  const sizes = await response
    .request()
    .sizes()
    .catch(() => undefined);
  return { decoded, transferred: sizes && sizes.responseBodySize > 0 ? sizes.responseBodySize : decoded };
}

/** Sends CDP commands to a dedicated worker through the browser session (Playwright has no worker sessions). */
async function workerCommands(cdp: CDPSession, targetId: string, methods: readonly string[]): Promise<unknown[]> {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  const replies = new Map<number, (result: unknown) => void>();
  const listener = (event: { sessionId: string; message: string }): void => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown };
    if (event.sessionId === sessionId && message.id !== undefined) replies.get(message.id)?.(message.result);
  };
  cdp.on('Target.receivedMessageFromTarget', listener);
  try {
    const results: unknown[] = [];
    for (const [i, method] of methods.entries()) {
      const reply = new Promise<unknown>((resolve) => replies.set(i + 1, resolve));
      await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i + 1, method }) });
      results.push(await reply);
    }
    return results;
  } finally {
    cdp.off('Target.receivedMessageFromTarget', listener);
    await cdp.send('Target.detachFromTarget', { sessionId });
  }
}

/** JS heap in use after a full GC: the page and each of its dedicated workers (where the app runs its models). */
async function heapBytes(browser: Browser, page: Page): Promise<{ total: number; parts: Record<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const origin = new URL(page.url()).origin;
  const browserCdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await browserCdp.send('Target.getTargets');
    const parts: Record<string, number> = { page: usedSize };
    for (const t of targetInfos.filter((t) => t.type === 'worker' && t.url.startsWith(origin))) {
      const [, , usage] = await workerCommands(browserCdp, t.targetId, [
        'HeapProfiler.enable',
        'HeapProfiler.collectGarbage',
        'Runtime.getHeapUsage',
      ]);
      const name = t.title && t.title !== t.url ? t.title : new URL(t.url).pathname.replace(/.*\//, '');
      parts[name] = (parts[name] ?? 0) + ((usage as { usedSize?: number } | undefined)?.usedSize ?? 0);
    }
    return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
  } finally {
    await browserCdp.detach();
  }
}

async function waitForFrames(pipeline: Pipeline, page: Page, after: number, count: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await pipeline.frames(page, after)).length < count) {
    if (Date.now() > end) throw new Error(`${pipeline.name}: fewer than ${count} frames within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(250);
  }
}

export async function measure(browser: Browser, pipeline: Pipeline, backend: string, options: MeasureOptions): Promise<Measurement> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const fetched = new Map<string, Promise<ResponseBytes>>();
    let counting = true;
    page.on('response', (r) => {
      if (counting && !fetched.has(r.url())) fetched.set(r.url(), responseBytes(r));
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(pipeline.url(backend));
    let coldUncachedMs: number;
    try {
      coldUncachedMs = await pipeline.firstPrediction(page, options.timeoutMs);
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      return failed(pipeline, backend, errors[0] ?? reason);
    }
    counting = false;
    const sizes = await Promise.all([...fetched].map(async ([url, bytes]) => ({ url, bytes: await bytes })));
    const modelBytes = sizes.filter((s) => pipeline.isModelFile(s.url)).reduce((a, s) => a + s.bytes.decoded, 0);
    const pageBytes = sizes.reduce((a, s) => a + s.bytes.decoded, 0);
    const transferredBytes = sizes.reduce((a, s) => a + s.bytes.transferred, 0);

    // The app's service worker takes control once its precache is complete (clientsClaim): the reload is then a returning visit.
    await untilReturningVisit(pipeline, page, options.timeoutMs);
    await page.waitForTimeout(RELOAD_SETTLE_MS);
    await page.reload();
    const coldCachedMs = await pipeline.firstPrediction(page, options.timeoutMs);
    await waitForFrames(pipeline, page, 0, options.warmUpFrames, options.timeoutMs);

    // Counts the frames the camera delivers to the page, whatever the pipeline does with them. A string, not a
    // function: tsx would wrap a named callback in a helper the page does not have.
    const start = (await page.evaluate(`(() => {
      const video = document.querySelector('video');
      window.benchVideoFrames = 0;
      const count = () => { window.benchVideoFrames += 1; video?.requestVideoFrameCallback(count); };
      video?.requestVideoFrameCallback(count);
      return performance.now();
    })()`)) as number;
    await page.waitForTimeout(options.seconds * 1000);
    const [end, videoFrames] = await page.evaluate(
      () => [performance.now(), (window as Window & { benchVideoFrames?: number }).benchVideoFrames ?? NaN] as const,
    );
    const frames: BenchFrame[] = (await pipeline.frames(page, start)).filter((f) => f.t <= end);
    const stages: Record<string, Summary> = {};
    for (const s of pipeline.stages) stages[s] = summarise(frames.map((f) => f.stages[s] ?? NaN).filter((v) => Number.isFinite(v)));
    return {
      pipeline: pipeline.name,
      requested: backend,
      backend: await pipeline.backend(page),
      error: undefined,
      coldUncachedMs,
      coldCachedMs,
      coldUncachedSamplesMs: [coldUncachedMs],
      coldCachedSamplesMs: [coldCachedMs],
      stages,
      fps: rate(
        frames.map((f) => f.t),
        start,
        end,
      ),
      cameraFps: (videoFrames * 1000) / (end - start),
      faceShare: frames.length > 0 ? frames.filter((f) => f.found).length / frames.length : NaN,
      modelBytes,
      pageBytes,
      transferredBytes,
      ...(await heapBytes(browser, page).then(({ total, parts }) => ({ heapBytes: total, heapParts: parts }))),
    };
  } finally {
    await context.close();
  }
}

/** `m` with its start-up figures from `starts` (their medians), in place of those of its own single visit. */
export function withStarts(m: Measurement, starts: readonly StartPair[]): Measurement {
  if (m.error !== undefined || starts.length === 0) return m;
  const empty = starts.map((s) => s.emptyMs);
  const warm = starts.map((s) => s.warmMs);
  return { ...m, coldUncachedMs: median(empty), coldCachedMs: median(warm), coldUncachedSamplesMs: empty, coldCachedSamplesMs: warm };
}
