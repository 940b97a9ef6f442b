/**
 * The end-to-end tests' browser setup on top of the shared harness (harness/chromium.ts): the camera plays
 * the CK+ clip with each frame's index stamped in (e2e/frame-code.ts, made by e2e/global-setup.ts), and every
 * page gets the frame-code reader, so a test knows which clip frame each analysed frame was.
 */
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { launchChromium } from '../harness/chromium.ts';
import type { CameraSetup } from '../harness/chromium.ts';
import { REPO_ROOT } from '../harness/paths.ts';
import { codedClipName, installFrameCodeReader } from './frame-code.ts';

export { CKPLUS_SEQUENCES, CKPLUS_SOURCE_VIDEO, HAS_SHARED, REPO_ROOT, SHARED_DIR, SHARED_MISSING } from '../harness/paths.ts';
export type { CameraSetup };

/** The tests' camera: the CK+ clip with frame codes stamped in (git-ignored; written by e2e/global-setup.ts). */
export const CKPLUS_VIDEO = path.join(REPO_ROOT, '.cache/e2e', codedClipName());

/** Uncaught page errors, collected so a test can assert that nothing crashed. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

interface Fixtures {
  /** Opens the app (at `urlPath`, default '/') in a browser launched with this camera setup (closed after the test). */
  openApp(setup: CameraSetup, urlPath?: string): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  page: async ({ page }, use) => {
    await installFrameCodeReader(page);
    await use(page);
  },
  openApp: async ({ baseURL }, use) => {
    const browsers: { close(): Promise<void> }[] = [];
    await use(async (setup, urlPath = '/') => {
      const browser = await launchChromium(setup);
      browsers.push(browser);
      const page = await browser.newPage({ baseURL });
      await installFrameCodeReader(page);
      await page.goto(urlPath);
      return page;
    });
    await Promise.all(browsers.map((b) => b.close()));
  },
});

export { expect };
