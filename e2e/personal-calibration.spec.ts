/**
 * "Calibrate to me" as a person uses it: the fake camera shows one CK+ person's neutral, happy, surprised, sad and
 * angry face in turn (e2e/calibration-clip.ts); the test presses Ready (Enter on the focused button) while the
 * camera shows the expression asked for. The profile is stored and applied (readings change), survives a reload,
 * and deleting it gives the shipped model's readings back exactly: on a fixed model input (the debug API's probe,
 * which runs the correction in use as a live frame would) bit for bit, and on the camera's stills to within the
 * frame-to-frame spread of the detector's box.
 */
import type { Page } from '@playwright/test';
import { CALIBRATION_SEGMENTS, CALIBRATION_VIDEO, decodeCalibrationCode, SEGMENT_FRAMES } from './calibration-clip.ts';
import { expect, HAS_SHARED, SHARED_MISSING, test } from './fixtures.ts';
import { readFrameCodes } from './frame-code.ts';
import { PROGRESS_TIMEOUT, waitForCamera, waitUntil } from './progress.ts';

test.skip(!HAS_SHARED, SHARED_MISSING);

interface SegmentReading {
  readonly n: number;
  readonly segment: number;
  readonly probs: readonly number[];
  readonly cnn: { readonly valence: number; readonly arousal: number };
  readonly profile: string | undefined;
}

/** Every analysed frame after frame `since`, with the clip segment it showed (read from its frame code). */
async function readings(page: Page, since: number): Promise<SegmentReading[]> {
  const frames = await page.evaluate((n) => (window.circumplex?.frames() ?? []).filter((f) => f.n > n), since);
  const codes = await readFrameCodes(page);
  const out: SegmentReading[] = [];
  for (const f of frames) {
    const code = f.mediaTime === undefined ? undefined : codes.get(f.mediaTime);
    if (code === undefined || code < 0 || !f.probs || !f.cnn) continue;
    out.push({ n: f.n, segment: decodeCalibrationCode(code).segment, probs: f.probs, cnn: f.cnn, profile: f.profile });
  }
  return out;
}

/** Where the camera is now: the code of the frame grabbed last. */
async function cameraPosition(page: Page): Promise<{ segment: number; frame: number } | undefined> {
  const code = [...(await readFrameCodes(page)).values()].at(-1);
  return code === undefined || code < 0 ? undefined : decodeCalibrationCode(code);
}

/**
 * The capture dialog's step, phase and cue read in one go, or undefined once it is closed. One read: the dialog
 * closes after the last step, and a locator read between "is it visible" and "its attribute" would wait for an
 * element that is gone.
 */
function captureState(page: Page): Promise<{ step: string; phase: string; cue: string } | undefined> {
  return page.evaluate(() => {
    const dialog = document.querySelector('[data-testid="capture-dialog"]');
    if (!dialog) return undefined;
    const cue = document.querySelector('[data-testid="capture-cue"]')?.textContent ?? '';
    return { step: dialog.getAttribute('data-step') ?? '', phase: dialog.getAttribute('data-phase') ?? '', cue };
  });
}

/** A whole loop of the clip at the slowest camera pace seen here (about 10 frames/s). */
const CLIP_LOOP_MS = (CALIBRATION_SEGMENTS.length * SEGMENT_FRAMES * 1000) / 10;

const t0 = Date.now();
/** Progress in the log, so a slow or stuck run says where it was. */
const log = (what: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${what}`);

const lastFrame = (page: Page): Promise<number> => page.evaluate(() => window.circumplex?.frames().at(-1)?.n ?? 0);

/** Per segment (one still image each), its readings. */
function bySegment(rs: readonly SegmentReading[]): Map<number, SegmentReading[]> {
  const map = new Map<number, SegmentReading[]>();
  for (const r of rs) map.set(r.segment, [...(map.get(r.segment) ?? []), r]);
  return map;
}

const top = (probs: readonly number[]): number => probs.indexOf(Math.max(...probs));
const EMOTIONS = ['neutral', 'happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt'];
/** The largest difference of two probability vectors. */
const distance = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
/** A fixed model input: a smooth gray gradient, 48x48 in 0..1. */
const PROBE_INPUT = Array.from({ length: 48 * 48 }, (_, i) => 0.2 + 0.6 * (((i % 48) + Math.floor(i / 48)) / 94));
const probe = (page: Page): Promise<{ probs: readonly number[]; profile?: string }> =>
  page.evaluate((x) => window.circumplex!.probe(x), PROBE_INPUT);

async function waitForSegments(
  page: Page,
  since: number,
  segments: number,
  what: string,
  keep: (r: SegmentReading) => boolean,
): Promise<Map<number, SegmentReading[]>> {
  let seen = new Map<number, SegmentReading[]>();
  await waitUntil(
    page,
    `${what}: frames of ${segments} clip segments`,
    async () => {
      seen = bySegment((await readings(page, since)).filter(keep));
      return seen.size >= segments;
    },
    Math.max(PROGRESS_TIMEOUT, CLIP_LOOP_MS),
  );
  return seen;
}

test('calibrate to me: guided capture, a stored profile that changes the readings, survives a reload, and deleting it restores the shipped readings exactly', async ({
  openApp,
}) => {
  test.setTimeout(30 * 60_000);
  const page = await openApp({ camera: { file: CALIBRATION_VIDEO }, grant: true });
  await waitForCamera(page);
  log('camera and models ready');
  const dialog = page.getByTestId('capture-dialog');
  await expect(page.getByTestId('model-in-use')).toHaveText('the shipped model');
  const shippedProbe = await probe(page);
  expect(shippedProbe.profile).toBeUndefined();

  // Cancelling changes nothing.
  await page.getByRole('button', { name: 'Calibrate to me' }).click();
  await expect(dialog).toHaveAttribute('data-phase', 'waiting');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('profile')).toHaveCount(0);

  const start = await lastFrame(page);
  await page.getByRole('button', { name: 'Calibrate to me' }).click();
  for (const [k, segment] of CALIBRATION_SEGMENTS.entries()) {
    await expect(dialog).toHaveAttribute('data-step', segment.emotion, { timeout: PROGRESS_TIMEOUT });
    await expect(dialog).toHaveAttribute('data-phase', 'waiting');
    // Ready while the camera is early in the segment showing this expression: the countdown and the capture fit in it.
    await waitUntil(
      page,
      `the camera showing ${segment.emotion} (clip segment ${k})`,
      async () => {
        const at = await cameraPosition(page);
        return at?.segment === k && at.frame < SEGMENT_FRAMES / 4;
      },
      CLIP_LOOP_MS,
    );
    await expect(page.getByRole('button', { name: 'Ready' })).toBeFocused();
    await page.keyboard.press('Enter');
    log(`ready for ${segment.emotion}`);
    await expect(dialog).not.toHaveAttribute('data-phase', 'waiting');
    let state = await captureState(page);
    await waitUntil(page, `the ${segment.emotion} step captured`, async () => {
      state = await captureState(page);
      return state === undefined || state.step !== segment.emotion || state.phase === 'failed';
    });
    expect(state?.phase, state?.cue).not.toBe('failed');
  }
  await expect(page.getByTestId('personal-message')).toContainText('saved and in use', { timeout: PROGRESS_TIMEOUT });
  log(`${await page.getByTestId('personal-message').textContent()}`);
  await expect(page.getByTestId('profile')).toHaveCount(1);
  const key = `${await page.getByTestId('profile').getAttribute('data-id')}:${await page.getByTestId('profile').getAttribute('data-hash')}`;
  await expect(page.getByTestId('model-in-use')).toContainText('your calibration');
  await expect(page.getByTestId('hud-model')).toHaveAttribute('data-profile', key, { timeout: PROGRESS_TIMEOUT });

  // The shipped model's readings of every segment, from the frames analysed during the capture.
  const shipped = bySegment((await readings(page, start)).filter((r) => r.profile === undefined));
  expect(shipped.size, 'the capture saw every expression of the clip').toBe(CALIBRATION_SEGMENTS.length);
  const shippedTop = new Map([...shipped].map(([segment, rs]) => [segment, top(rs[0]!.probs)]));
  console.log(
    `shipped model on the clip: ${[...shippedTop].map(([s, t]) => `${CALIBRATION_SEGMENTS[s]!.emotion} -> ${EMOTIONS[t]}`).join(', ')}`,
  );

  // Applied: the fixed input reads otherwise, and each still now reads as the expression it shows.
  const personalProbe = await probe(page);
  expect(personalProbe.profile).toBe(key);
  expect(personalProbe.probs).not.toEqual(shippedProbe.probs);
  const calibrated = await waitForSegments(page, await lastFrame(page), 2, 'readings with the profile', (r) => r.profile === key);
  for (const [segment, rs] of calibrated) {
    const emotion = CALIBRATION_SEGMENTS[segment]!.emotion;
    for (const r of rs) expect(EMOTIONS[top(r.probs)], `frame ${r.n} of the ${emotion} still, with the profile`).toBe(emotion);
  }
  expect(
    [...shippedTop].some(([s, t]) => EMOTIONS[t] !== CALIBRATION_SEGMENTS[s]!.emotion),
    'the shipped model misread some expression of this person: the profile changed what is shown',
  ).toBe(true);

  log('the profile changes the readings');
  // A reload keeps the profile and keeps applying it.
  await page.reload();
  await waitForCamera(page);
  await expect(page.getByTestId('profile')).toHaveCount(1);
  await expect(page.getByTestId('model-in-use')).toContainText('your calibration');
  await waitForSegments(page, 0, 1, 'readings with the profile after a reload', (r) => r.profile === key);

  log('the profile survived a reload');
  // Deleting it: the shipped model's readings again.
  await page.getByRole('button', { name: /^Delete / }).click();
  await expect(page.getByTestId('profile')).toHaveCount(0);
  await expect(page.getByTestId('model-in-use')).toHaveText('the shipped model');
  expect(await probe(page), 'the fixed input reads exactly as before the calibration').toEqual(shippedProbe);
  const after = await waitForSegments(
    page,
    await lastFrame(page),
    2,
    'readings after deleting the profile',
    (r) => r.profile === undefined,
  );
  for (const [segment, rs] of after) {
    const before = shipped.get(segment)!;
    // Frames of one still differ a little (the detector's box moves by a pixel); the spread among them bounds it.
    const spread = Math.max(...before.map((b) => distance(b.probs, before[0]!.probs)));
    for (const r of rs) {
      expect(top(r.probs), `frame ${r.n}: the shipped model's class for ${CALIBRATION_SEGMENTS[segment]!.emotion}`).toBe(
        shippedTop.get(segment),
      );
      expect(
        Math.min(...before.map((b) => distance(r.probs, b.probs))),
        `frame ${r.n}: within the shipped readings' spread (${spread.toFixed(4)})`,
      ).toBeLessThanOrEqual(Math.max(spread, 0.01));
    }
  }
});
