import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { collectPageErrors, CKPLUS_SEQUENCES, expect, HAS_SHARED, SHARED_MISSING, test } from './fixtures.ts';
import { faceCountAfter, PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForDetector } from './progress.ts';

interface Sample {
  boxes: { x: number; y: number; width: number; height: number }[];
  ms: number | undefined;
}

test.describe('face detection with the fake camera', () => {
  test.skip(!HAS_SHARED, SHARED_MISSING);
  test.describe.configure({ timeout: PROGRESS_TEST_TIMEOUT });

  test('the face box appears and follows the face in the CK+ video', async ({ page }, testInfo) => {
    const errors = collectPageErrors(page);
    // Wasm, worker and model are all served by the app: nothing may come from another origin.
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).origin !== new URL(testInfo.project.use.baseURL!).origin) foreign.push(r.url());
    });
    await page.goto('/');
    await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout: PROGRESS_TIMEOUT });
    await waitForDetector(page);
    await expect(page.getByTestId('face-box').first()).toBeVisible({ timeout: PROGRESS_TIMEOUT });

    // 5 s of the video (it plays in its own time, however slowly frames are processed), sampled every 100 ms.
    const samples: Sample[] = [];
    for (let i = 0; i < 50; i++) {
      samples.push(
        await page.evaluate(() => ({
          boxes: Array.from(document.querySelectorAll('[data-testid="face-box"]'), (r) => ({
            x: Number(r.getAttribute('x')),
            y: Number(r.getAttribute('y')),
            width: Number(r.getAttribute('width')),
            height: Number(r.getAttribute('height')),
          })),
          ms: Number(document.querySelector('[data-testid="detector-ms"]')?.getAttribute('data-ms')) || undefined,
        })),
      );
      await page.waitForTimeout(100);
    }

    const withFace = samples.filter((s) => s.boxes.length > 0);
    expect(withFace.length / samples.length).toBeGreaterThanOrEqual(0.9);
    // The video cycles through 10 subjects sitting in different places: the box must move with them.
    const centres = withFace.map((s) => s.boxes[0]!.x + s.boxes[0]!.width / 2);
    const travel = Math.max(...centres) - Math.min(...centres);
    expect(travel).toBeGreaterThan(20);
    // Box sizes stay face-like on a 640x490 frame.
    for (const s of withFace) expect(s.boxes[0]!.width).toBeGreaterThan(60);

    const ms = samples
      .map((s) => s.ms)
      .filter((m): m is number => m !== undefined)
      .sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)];
    testInfo.annotations.push({ type: 'detector-ms-median', description: String(median) });
    console.log(
      `face box in ${withFace.length}/${samples.length} samples, centre moved ${travel.toFixed(0)} px; detector median ${median?.toFixed(1)} ms`,
    );
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('the detector finds exactly one face in a CK+ frame and none in a blank frame', async ({ openApp }, testInfo) => {
    // Two browsers, one after the other, each starting the detector: about 50 s on 2 cores, more when loaded.
    const sequence = path.join(CKPLUS_SEQUENCES, 'S052/001');
    const frames = readdirSync(sequence)
      .filter((f) => f.endsWith('.png'))
      .sort();
    const apex = path.join(sequence, frames.at(-1)!);
    const faceClip = testInfo.outputPath('face.mjpeg');
    const blankClip = testInfo.outputPath('blank.mjpeg');
    // The sequences' PNGs are 320x245; Chromium's fake camera needs even sizes, and 640x490 is the
    // size of the CK+ video the app already handles.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      apex,
      '-vf',
      'scale=640:490',
      '-frames:v',
      '1',
      '-pix_fmt',
      'yuvj420p',
      '-f',
      'mjpeg',
      faceClip,
    ]);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=640x490',
      '-frames:v',
      '1',
      '-pix_fmt',
      'yuvj420p',
      '-f',
      'mjpeg',
      blankClip,
    ]);

    const facePage = await openApp({ camera: { file: faceClip }, grant: true });
    await waitForDetector(facePage);
    expect(await faceCountAfter(facePage, 10)).toBe(1);
    await expect(facePage.getByTestId('face-box')).toHaveCount(1);

    const blankPage = await openApp({ camera: { file: blankClip }, grant: true });
    await waitForDetector(blankPage);
    expect(await faceCountAfter(blankPage, 10)).toBe(0);
    await expect(blankPage.getByTestId('face-box')).toHaveCount(0);
  });
});
