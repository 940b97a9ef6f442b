/**
 * The privacy promise, checked in the browser: during a full session (models, camera, predictions,
 * settings, camera restart, a reload served by the service worker) no request goes to any origin but
 * the app's own, from the page, its worker or the service worker; the CSP is in the built page, is
 * enforced, and is never violated by the app itself.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { contentSecurityPolicy } from '../scripts/content-security-policy.ts';
import { collectPageErrors, expect, HAS_SHARED, SHARED_MISSING, test } from './fixtures.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForDetector, waitForReadings, waitForServiceWorker } from './progress.ts';

test.use({ serviceWorkers: 'allow' });

interface Violation {
  directive: string;
  blocked: string;
}

/** Collects `securitypolicyviolation` events in every page of the context (from before any app script runs). */
async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as Window & { cspViolations?: Violation[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations!.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
    );
  });
}

const cspViolations = (page: Page): Promise<Violation[]> =>
  page.evaluate(() => (window as Window & { cspViolations?: Violation[] }).cspViolations ?? []);

/** Resolves once a valence/arousal readout has arrived from the live pipeline. */
async function waitForPrediction(page: Page): Promise<void> {
  await waitForReadings(page, 1);
}

test.describe('privacy', () => {
  test('the built page carries the Content-Security-Policy meta tag', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', contentSecurityPolicy());
  });

  test('the CSP is enforced: a request to another origin is blocked and reported', async ({ context, page }) => {
    await recordCspViolations(context);
    await page.goto('/');
    const outcome = await page.evaluate(() =>
      fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(
        () => 'sent',
        (e: Error) => `blocked: ${e.message}`,
      ),
    );
    expect(outcome).toMatch(/^blocked/);
    await expect.poll(() => cspViolations(page)).toContainEqual({ directive: 'connect-src', blocked: 'https://example.com/collect' });
  });

  test('a full session sends nothing to another origin and violates no CSP directive', async ({ context, page, baseURL }) => {
    test.skip(!HAS_SHARED, SHARED_MISSING);
    test.setTimeout(PROGRESS_TEST_TIMEOUT);
    const appOrigin = new URL(baseURL!).origin;
    const requests: string[] = [];
    const consoleCsp: string[] = [];
    // Context-level: the page, its dedicated worker and the service worker.
    context.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
    });
    await recordCspViolations(context);
    const errors = collectPageErrors(page);

    await page.goto('/');
    await waitForDetector(page);
    await waitForPrediction(page);
    // Settings are stored locally; changing them must not talk to anyone.
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByRole('button', { name: 'Stop camera' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText('Camera: stopped');
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout: PROGRESS_TIMEOUT });
    expect(await cspViolations(page)).toEqual([]);

    // A second visit, now through the service worker.
    await waitForServiceWorker(page);
    await page.reload();
    await waitForDetector(page);
    await waitForPrediction(page);

    const schemes = new Set(requests.map((u) => new URL(u).protocol));
    const foreign = requests.filter((u) => {
      const url = new URL(u);
      // data: and blob: URLs are in-memory and never leave the device.
      return url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== appOrigin;
    });
    console.log(`privacy: ${requests.length} requests (${[...schemes].join(', ')}), all to ${appOrigin}: ${foreign.length === 0}`);
    expect(requests.length).toBeGreaterThan(10);
    expect(foreign).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(consoleCsp).toEqual([]);
    expect(errors).toEqual([]);
  });
});
