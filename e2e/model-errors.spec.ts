import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, REPO_ROOT, test } from './fixtures.ts';

const DETECTOR = path.join(REPO_ROOT, 'public/models/face_detector.tflite');

test('a truncated face detector model stops the app with an error naming the file', async ({ page }) => {
  const bytes = readFileSync(DETECTOR);
  await page.route('**/models/face_detector.tflite', (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: bytes.subarray(0, bytes.byteLength >> 1) }),
  );
  await page.goto('/');
  const screen = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await expect(screen).toBeVisible();
  await expect(page.getByTestId('model-error-file')).toHaveText('face_detector.tflite');
  await expect(page.getByTestId('model-error-message')).toContainText('truncated');
  await expect(page.getByTestId('stage')).toBeHidden();
});

test('a missing face detector model is reported as missing', async ({ page }) => {
  await page.route('**/models/face_detector.tflite', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect(page.getByTestId('model-error-file')).toHaveText('face_detector.tflite');
  await expect(page.getByTestId('model-error-message')).toContainText('is missing');
});
