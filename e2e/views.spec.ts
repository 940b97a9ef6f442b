/**
 * Controls reachable by keyboard with accessible names, the theme setting applied and remembered, and the
 * reduced-motion preference honoured by the circumplex (no trail, only the current point), and the start's steps
 * marked for the performance panel and npm run bench:startup -- --timeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CKPLUS_VIDEO, expect, HAS_SHARED, REPO_ROOT, SHARED_MISSING, test } from './fixtures.ts';
import { STARTUP_STEPS, startupTimeline } from '../src/features/pipeline/startup-marks.ts';
import type { StartupStep } from '../src/features/pipeline/startup-marks.ts';
import { PROGRESS_TEST_TIMEOUT, PROGRESS_TIMEOUT, waitForDetector } from './progress.ts';

const MANIFEST = path.join(REPO_ROOT, 'public/models/manifest.json');
const HAS_MODEL = existsSync(MANIFEST) && readFileSync(MANIFEST, 'utf8').includes('"face-expression"');

test.describe('views and settings', () => {
  test.skip(!HAS_SHARED || !existsSync(CKPLUS_VIDEO), SHARED_MISSING);
  test.skip(!HAS_MODEL, 'no expression model in public/models/manifest.json (npm run export -- --cnn RUN_DIR)');
  // The models load twice (before and after the reload): more than the default 60 s on a loaded machine.
  test.describe.configure({ timeout: PROGRESS_TEST_TIMEOUT });

  test('keyboard-reachable controls; dark theme applied and remembered; reduced motion drops the trail', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    await page.goto('/?backend=wasm');
    await waitForDetector(page);
    for (const name of ['Camera', 'Backend', 'Theme']) await expect(page.getByRole('combobox', { name })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Stop camera' })).toBeVisible();

    // Tab through the page until the theme select has focus, then choose Dark with the keyboard.
    const theme = page.getByRole('combobox', { name: 'Theme' });
    for (let i = 0; i < 15 && !(await theme.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(theme).toBeFocused();
    await theme.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');

    await waitForDetector(page);
    await expect(page.getByTestId('circumplex-point')).toHaveCount(1, { timeout: PROGRESS_TIMEOUT });
    await expect(page.getByTestId('circumplex-trail-point')).toHaveCount(0);
    await expect(page.getByRole('figure', { name: /Circumplex: valence -?\d/ })).toBeVisible();

    // The start's steps, marked once each in the order they happen (npm run bench:startup -- --timeline reads them).
    const readMarks = () => page.evaluate(() => performance.getEntriesByType('mark').map(({ name, startTime }) => ({ name, startTime })));
    const steps = startupTimeline(await readMarks());
    expect(Object.keys(steps).sort()).toEqual([...STARTUP_STEPS].sort());
    const at = (step: StartupStep): number => steps[step] ?? Number.NaN;
    expect(at('workers-created')).toBeLessThan(at('pipeline-ready'));
    expect(at('camera-requested')).toBeLessThan(at('camera-live'));
    expect(at('pipeline-ready')).toBeLessThanOrEqual(at('first-frame-sent'));
    expect(at('camera-live')).toBeLessThanOrEqual(at('first-frame-sent'));
    expect(at('first-frame-sent')).toBeLessThan(at('first-prediction'));

    await page.getByRole('button', { name: 'Stop camera' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText('Camera: stopped');
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect(page.getByTestId('camera-status')).toHaveText(/Camera: on/, { timeout: PROGRESS_TIMEOUT });
    // A camera opened again marks nothing new.
    expect((await readMarks()).filter((m) => m.name === 'circumplex:camera-requested')).toHaveLength(1);
  });
});
