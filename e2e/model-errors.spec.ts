import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, REPO_ROOT, test } from './fixtures.ts';
import { PROGRESS_TEST_TIMEOUT, waitForModelError } from './progress.ts';

const DETECTOR = path.join(REPO_ROOT, 'public/models/face_detector.tflite');

// The error screen comes after the detector (or its wasm) fails to start, which on a loaded 2-core machine
// takes well over the default 20 s: every wait is for a state, with the progress limit (progress.ts).
test.describe.configure({ timeout: PROGRESS_TEST_TIMEOUT });

test('a truncated face detector model stops the app with an error naming the file', async ({ page }) => {
  const bytes = readFileSync(DETECTOR);
  await page.route('**/models/face_detector.tflite', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: bytes.subarray(0, bytes.byteLength >> 1) }),
  );
  await page.goto('/');
  await waitForModelError(page);
  const screen = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await expect(screen).toBeVisible();
  await expect(page.getByTestId('model-error-file')).toHaveText('face_detector.tflite');
  await expect(page.getByTestId('model-error-message')).toContainText('truncated');
  await expect(page.getByTestId('stage')).toBeHidden();
});

test('a missing face detector model is reported as missing', async ({ page }) => {
  await page.route('**/models/face_detector.tflite', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await waitForModelError(page);
  await expect(page.getByTestId('model-error-file')).toHaveText('face_detector.tflite');
  await expect(page.getByTestId('model-error-message')).toContainText('is missing');
});

test('a model file of the right size with altered bytes fails its checksum', async ({ page }) => {
  const bytes = Buffer.from(readFileSync(DETECTOR));
  const middle = bytes.byteLength >> 1;
  bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
  await page.route('**/models/face_detector.tflite', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: bytes }),
  );
  await page.goto('/');
  await waitForModelError(page);
  await expect(page.getByTestId('model-error-file')).toHaveText('face_detector.tflite');
  await expect(page.getByTestId('model-error-message')).toContainText('wrong checksum');
  await expect(page.getByTestId('stage')).toBeHidden();
});

// The wasm binary is loaded by TF.js inside the workers, not through the manifest: the face detector cannot run
// without it, so a broken one is found after the detector fails to start (src/features/face/wasm-check.ts) and
// named the same way as a broken model file.
test('a truncated wasm binary stops the app with an error naming that file', async ({ page }) => {
  const served: string[] = [];
  await page.route('**/vendor/tfjs/*.wasm', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    served.push(new URL(route.request().url()).pathname);
    await route.fulfill({ response, body: body.subarray(0, body.byteLength >> 1) });
  });
  await page.goto('/');
  await waitForModelError(page);
  await expect(page.getByTestId('model-error-file')).toHaveText(/^vendor\/tfjs\/tfjs-backend-wasm[\w-]*\.wasm$/);
  await expect(page.getByTestId('model-error-file')).toHaveText(served[0]!.replace(/^\//, ''));
  await expect(page.getByTestId('model-error-message')).toContainText('not a valid WebAssembly module');
  await expect(page.getByTestId('stage')).toBeHidden();
});

test('a missing wasm binary is reported as missing', async ({ page }) => {
  await page.route('**/vendor/tfjs/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await waitForModelError(page);
  await expect(page.getByTestId('model-error-file')).toHaveText('vendor/tfjs/tfjs-backend-wasm-simd.wasm');
  await expect(page.getByTestId('model-error-message')).toContainText('is missing');
});
