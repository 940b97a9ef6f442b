/**
 * The system Chromium as the end-to-end tests and the benchmarks launch it: quiet, offline and reproducible,
 * with a fake camera fed from a file (Chromium's --use-file-for-fake-video-capture, which loops the clip at
 * about 30 fps). Playwright cannot download browsers here, so every launch names /usr/bin/chromium.
 */
import { chromium } from '@playwright/test';
import type { Browser, LaunchOptions } from '@playwright/test';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, reproducible Chromium (see docs: research notes, browser runtime). */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
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
  const args = [...QUIET_CHROMIUM_ARGS];
  if (grant) args.push('--use-fake-ui-for-media-stream');
  if (camera !== 'none') args.push('--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera.file}`);
  return [...args, ...(extraArgs ?? [])];
}

/** The launch options for this camera setup (Playwright's `use.launchOptions` takes them as they are). */
export function chromiumLaunchOptions(setup: CameraSetup): LaunchOptions {
  return { executablePath: SYSTEM_CHROMIUM, args: chromiumArgs(setup) };
}

/** Launches the system Chromium with this camera setup; the caller closes it. */
export function launchChromium(setup: CameraSetup): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(setup));
}
