/**
 * The offline promise: after one visit the service worker holds the app, the models and the wasm
 * binaries, so with the network gone a reload still detects faces and gives predictions from the camera.
 */
import { readDebugFrames } from '../harness/debug-api.ts';
import { collectPageErrors, expect, HAS_SHARED, SHARED_MISSING, test } from './fixtures.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForDetector, waitForReadings, waitForServiceWorkerControl } from './progress.ts';

test.use({ serviceWorkers: 'allow' });

test.describe('offline', () => {
  test.skip(!HAS_SHARED, SHARED_MISSING);

  test('after one visit the whole pipeline runs with the network gone', async ({ context, page }) => {
    test.setTimeout(PROGRESS_TEST_TIMEOUT);
    const errors = collectPageErrors(page);
    await page.goto('/');
    // The service worker activates only after precaching everything; clientsClaim then gives it this page.
    await waitForServiceWorkerControl(page);
    const precached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(precached).toEqual(
      expect.arrayContaining([
        '/index.html',
        '/models/manifest.json',
        '/models/face_detector.tflite',
        '/vendor/tfjs/tfjs-backend-wasm-simd.wasm',
      ]),
    );
    // Only the build this browser runs (face detector, CNN and GRU all run on it): no other wasm, no source map.
    expect(precached.filter((p) => p.endsWith('.wasm')).sort()).toEqual(['/vendor/tfjs/tfjs-backend-wasm-simd.wasm']);
    expect(precached.filter((p) => p.endsWith('.map'))).toEqual([]);

    await context.setOffline(true);
    // Proof that the network really is gone: a URL the service worker does not hold fails.
    const uncached = await page.evaluate(() =>
      fetch(`/not-cached-${Date.now()}`).then(
        (r) => `HTTP ${r.status}`,
        () => 'network error',
      ),
    );
    expect(uncached).toBe('network error');

    const fromNetwork: string[] = [];
    const served: string[] = [];
    context.on('response', (r) => {
      const p = new URL(r.url()).pathname;
      if (!/^\/(models|vendor)\//.test(p)) return;
      served.push(p);
      if (!r.fromServiceWorker()) fromNetwork.push(p);
    });
    await page.reload();
    await waitForDetector(page);
    await expect(page.getByTestId('face-box').first()).toBeVisible({ timeout: PROGRESS_TIMEOUT });
    await waitForReadings(page, 1);
    const frames = (await readDebugFrames(page)).map((f) => ({ found: f.found, va: f.va !== undefined }));
    console.log(
      `offline: ${frames.length} frames after the offline reload, ${frames.filter((f) => f.found).length} with a face, ${frames.filter((f) => f.va).length} with valence/arousal; model/wasm files served: ${served.length}`,
    );
    expect(served).toEqual(expect.arrayContaining(['/models/manifest.json', '/models/face_detector.tflite']));
    expect(fromNetwork).toEqual([]);
    expect(errors).toEqual([]);
  });
});
