/**
 * Shared browser setup for the end-to-end tests: the system Chromium with a fake camera fed from a
 * file (Chromium's --use-file-for-fake-video-capture, which loops the clip at about 30 fps). The camera plays
 * the CK+ clip with each frame's index stamped in (e2e/frame-code.ts, made by e2e/global-setup.ts), and every
 * page gets the harness's frame-code reader, so a test knows which clip frame each analysed frame was.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { codedClipName, installFrameCodeReader } from './frame-code.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
/** The CK+ clip as ../shared has it (the benchmarks' camera). */
export const CKPLUS_SOURCE_VIDEO = path.join(SHARED_DIR, 'media/ckplus40-10fps.mjpeg');
/** The tests' camera: the same clip with frame codes stamped in (git-ignored; written by e2e/global-setup.ts). */
export const CKPLUS_VIDEO = path.join(REPO_ROOT, '.cache/e2e', codedClipName());
export const CKPLUS_SEQUENCES = path.join(SHARED_DIR, 'datasets/ckplus-sequences/cohn-kanade-images');
export const HAS_SHARED = existsSync(CKPLUS_SOURCE_VIDEO) && existsSync(CKPLUS_SEQUENCES);
export const SHARED_MISSING = `needs ../shared (CK+ video and sequences) beside the checkout: ${SHARED_DIR} not found`;

/** Flags for a quiet, offline, reproducible Chromium (see docs: research notes, browser runtime). */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface CameraSetup {
  /** A fake camera playing this .mjpeg/.y4m file, or 'none' for no camera device at all. */
  readonly camera: { readonly file: string } | 'none';
  /** Answer the camera permission prompt with "allow"; otherwise headless Chromium denies it. */
  readonly grant: boolean;
  /** More Chromium flags (e.g. --enable-unsafe-webgpu). */
  readonly extraArgs?: readonly string[];
}

export function chromiumArgs({ camera, grant, extraArgs }: CameraSetup): string[] {
  const args = [...BASE_ARGS];
  if (grant) args.push('--use-fake-ui-for-media-stream');
  if (camera !== 'none') args.push('--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera.file}`);
  return [...args, ...(extraArgs ?? [])];
}

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
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs(setup) });
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
