import { existsSync } from 'node:fs';
import { collectPageErrors, CKPLUS_VIDEO, expect, test } from './fixtures.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForDetector } from './progress.ts';

test.describe.configure({ timeout: PROGRESS_TEST_TIMEOUT });

test('a denied camera permission shows the reason and a retry button, without crashing', async ({ openApp }) => {
  // Without --use-fake-ui-for-media-stream, headless Chromium answers the prompt with "deny".
  const page = await openApp({ camera: { file: CKPLUS_VIDEO }, grant: false });
  const errors = collectPageErrors(page);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Camera permission was denied');
  await expect(page.getByTestId('camera-status')).toHaveText('Camera: unavailable');
  await page.getByRole('button', { name: 'Retry camera' }).click();
  await expect(alert).toContainText('Camera permission was denied');
  // The detector still loads: only the camera is missing.
  await waitForDetector(page);
  expect(errors).toEqual([]);
});

test('no camera at all shows "No camera found"', async ({ openApp }) => {
  test.skip(process.platform !== 'linux' || existsSync('/dev/video0'), 'needs a Linux machine without a real camera (/dev/video0)');
  const page = await openApp({ camera: 'none', grant: true });
  const errors = collectPageErrors(page);
  await expect(page.getByRole('alert')).toContainText('No camera found');
  await expect(page.getByRole('button', { name: 'Retry camera' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a camera held by another app at start says it is in use, and retrying opens it once free', async ({ page }) => {
  const errors = collectPageErrors(page);
  // What getUserMedia does when another app holds the device (Media Capture and Streams: NotReadableError).
  await page.addInitScript(() => {
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    let refusals = 1;
    navigator.mediaDevices.getUserMedia = (constraints) =>
      refusals-- > 0 ? Promise.reject(new DOMException('Could not start video source', 'NotReadableError')) : real(constraints);
  });
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The camera is in use by another application');
  await expect(alert).toHaveAttribute('data-kind', 'in-use');
  await page.getByRole('button', { name: 'Retry camera' }).click();
  await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout: PROGRESS_TIMEOUT });
  expect(errors).toEqual([]);
});
