/**
 * Waits by progress, not by wall clock: each helper waits for a state of the app (detector ready, n more
 * frames processed, an error screen) with one generous limit, and a failure says what the app had reached.
 * On a loaded 2-core machine loading the detector and models takes tens of seconds and frames come at a few
 * per second; the limit only bounds how long a broken run takes to fail.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** The limit for anything that needs models loaded or frames processed (Playwright's default is 20 s). */
export const PROGRESS_TIMEOUT = 120_000;

/** A test timeout that leaves room for two such waits and the rest of a test. */
export const PROGRESS_TEST_TIMEOUT = 3 * PROGRESS_TIMEOUT;

/** One line saying where the app is: detector, camera, frames processed, any error screen. */
export async function appState(page: Page): Promise<string> {
  try {
    return await page.evaluate(() => {
      const text = (id: string): string => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() || '–';
      const frames = document.querySelector('[data-testid="readout"]')?.getAttribute('data-frames') ?? '–';
      const error = document.querySelector('[data-testid="model-error-file"]');
      const alert = document.querySelector('[role="alert"]')?.textContent?.trim();
      return `detector "${text('detector-status')}", camera "${text('camera-status')}", frames processed ${frames}${error ? `, model error on ${error.textContent}` : ''}${alert ? `, alert "${alert.slice(0, 200)}"` : ''}`;
    });
  } catch (e) {
    return `page not readable (${(e as Error).message.split('\n')[0]})`;
  }
}

/** `probe`'s answer, or false once `ms` have passed without one (a locator read of an element that is gone waits). */
async function within(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(ms, 1_000))));
  try {
    return await Promise.race([probe().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `reached` until it holds; past `timeout` fails naming `what` and the state the app had reached. A poll that
 * does not answer counts as "not yet" and never holds the wait past its limit.
 */
export async function waitUntil(page: Page, what: string, reached: () => Promise<boolean>, timeout = PROGRESS_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await within(reached, deadline - Date.now())) return;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeout / 1000} s; the app reached: ${await appState(page)}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Waits until a service worker is active for the page. The app registers it only after its first reading (or once
 * the pipeline is ready, or failed), so this waits for the models as well.
 */
export async function waitForServiceWorker(page: Page, timeout = PROGRESS_TIMEOUT): Promise<void> {
  await waitUntil(
    page,
    'a service worker active',
    () => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.active)),
    timeout,
  );
}

/** Waits for an active service worker and then for it to control the page (clientsClaim hands it this page). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await waitForServiceWorker(page);
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
      timeout: PROGRESS_TIMEOUT,
      message: 'the service worker controls the page',
    })
    .toBe(true);
}

/** Frames the live pipeline has processed this session (the readout's count). */
export async function framesProcessed(page: Page): Promise<number> {
  return Number((await page.getByTestId('readout').getAttribute('data-frames')) ?? 0);
}

/** Waits for the detector (and models) to be ready. */
export async function waitForDetector(page: Page, timeout = PROGRESS_TIMEOUT): Promise<void> {
  await waitUntil(
    page,
    'detector ready',
    async () => (await page.getByTestId('detector-status').textContent()) === 'Detector: ready',
    timeout,
  );
}

/** Waits for the detector (and models) and for the camera to be on. */
export async function waitForCamera(page: Page, timeout = PROGRESS_TIMEOUT): Promise<void> {
  await waitForDetector(page, timeout);
  await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout });
}

/** Waits until the live pipeline has processed `n` more frames than now; returns the count reached. */
export async function waitFrames(page: Page, n: number, timeout = PROGRESS_TIMEOUT): Promise<number> {
  const target = (await framesProcessed(page)) + n;
  await waitUntil(page, `${n} more processed frames (up to frame ${target})`, async () => (await framesProcessed(page)) >= target, timeout);
  return framesProcessed(page);
}

/** faceCountAfterFrames with the progress limit: waits for `n` more frames, then returns the face count. */
export async function faceCountAfter(page: Page, n: number, timeout = PROGRESS_TIMEOUT): Promise<number> {
  const status = page.getByTestId('face-count');
  const count = async (): Promise<number> => Number((await status.getAttribute('data-frames')) ?? 0);
  const target = (await count()) + n;
  await waitUntil(page, `${n} more frames counted for faces (up to frame ${target})`, async () => (await count()) >= target, timeout);
  return Number(await status.getAttribute('data-count'));
}

/** Waits for the model error screen (a model or wasm file that could not be loaded). */
export async function waitForModelError(page: Page, timeout = PROGRESS_TIMEOUT): Promise<void> {
  await waitUntil(page, 'the model error screen', () => page.getByTestId('model-error-file').isVisible(), timeout);
}

/** Waits until the debug history holds at least `n` frames with a valence/arousal readout. */
export async function waitForReadings(page: Page, n: number, timeout = PROGRESS_TIMEOUT): Promise<void> {
  await waitUntil(
    page,
    `${n} frames with a valence/arousal readout`,
    () => page.evaluate((k) => (window.circumplex?.frames() ?? []).filter((f) => f.va !== undefined).length >= k, n),
    timeout,
  );
}

export { expect };
