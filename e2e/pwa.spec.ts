/**
 * The install and update promises: Chromium finds the app installable, the install button follows the
 * browser's offer, and a new version waits for the user, never reloading while the camera runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { expect, HAS_SHARED, REPO_ROOT, SHARED_MISSING, test } from './fixtures.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForServiceWorker, waitForServiceWorkerControl } from './progress.ts';

test.use({ serviceWorkers: 'allow' });

interface ManifestIcon {
  src: string;
  sizes: string;
  purpose?: string;
}

test.describe('installable app', () => {
  test('Chromium reports no installability error; the manifest names standalone display and real icons', async ({
    context,
    page,
    request,
  }) => {
    // The service worker registers after the app's first reading: the models load first.
    test.setTimeout(PROGRESS_TEST_TIMEOUT);
    await page.goto('/');
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Playwright's contexts are incognito profiles, where Chromium never installs; every other check applies.
    expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);

    const manifest = (await (await request.get('/manifest.webmanifest')).json()) as {
      display: string;
      theme_color: string;
      icons: ManifestIcon[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    for (const size of [192, 512]) expect(manifest.icons.some((i) => i.sizes === `${size}x${size}` && i.purpose !== 'maskable')).toBe(true);
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const png = PNG.sync.read(Buffer.from(await (await request.get(`/${icon.src}`)).body()));
      expect(`${png.width}x${png.height}`).toBe(icon.sizes);
    }
  });

  test('the install button appears with the browser offer and opens its dialog', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0);
    // Headless Chromium never offers installation itself; this is the event it sends when it does.
    await page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: () => {
          (window as Window & { promptShown?: boolean }).promptShown = true;
          return Promise.resolve();
        },
        userChoice: Promise.resolve({ outcome: 'accepted', platform: 'web' }),
      });
      window.dispatchEvent(offer);
    });
    await page.getByRole('button', { name: 'Install app' }).click();
    expect(await page.evaluate(() => (window as Window & { promptShown?: boolean }).promptShown)).toBe(true);
    // An offer can be used once.
    await expect(page.getByRole('button', { name: 'Install app' })).toHaveCount(0);
  });
});

test.describe('updates', () => {
  test.skip(!HAS_SHARED, SHARED_MISSING);

  test('a new version waits while the camera runs and reloads only when the user chooses', async ({ page }) => {
    // The service worker precaches every model and wasm file before it takes the page: slow on a loaded machine.
    test.setTimeout(PROGRESS_TEST_TIMEOUT);
    const swPath = path.join(REPO_ROOT, 'dist/sw.js');
    const original = readFileSync(swPath, 'utf8');
    try {
      await page.goto('/');
      await waitForServiceWorkerControl(page);
      await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout: PROGRESS_TIMEOUT });
      await page.evaluate(() => ((window as Window & { sameDocument?: boolean }).sameDocument = true));

      // A new build: any byte change to sw.js makes the browser install it as the waiting version.
      writeFileSync(swPath, `${original}\n// next version ${Date.now()}\n`);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

      const banner = page.getByTestId('update-available');
      await expect(banner).toBeVisible({ timeout: PROGRESS_TIMEOUT });
      const reload = banner.getByRole('button', { name: 'Reload to update' });
      await expect(reload).toBeDisabled();
      await expect(banner).toContainText('Stop the camera to update');
      await page.waitForTimeout(2000);
      expect(await page.evaluate(() => (window as Window & { sameDocument?: boolean }).sameDocument)).toBe(true);
      await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/);

      await page.getByRole('button', { name: 'Stop camera' }).click();
      await expect(reload).toBeEnabled();
      await Promise.all([page.waitForEvent('load'), reload.click()]);
      expect(await page.evaluate(() => (window as Window & { sameDocument?: boolean }).sameDocument)).toBeUndefined();
      const waiting = await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));
      expect(waiting).toBe(false);
      await expect(page.getByTestId('update-available')).toHaveCount(0);
    } finally {
      writeFileSync(swPath, original);
    }
  });
});
