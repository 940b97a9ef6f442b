import { describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumLaunchOptions, QUIET_CHROMIUM_ARGS, SYSTEM_CHROMIUM } from './chromium.ts';

describe('chromiumArgs', () => {
  it('plays the file as a granted fake camera after the quiet flags, extra flags last', () => {
    expect(chromiumArgs({ camera: { file: '/tmp/clip.mjpeg' }, grant: true, extraArgs: ['--enable-unsafe-webgpu'] })).toEqual([
      ...QUIET_CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--use-file-for-fake-video-capture=/tmp/clip.mjpeg',
      '--enable-unsafe-webgpu',
    ]);
  });

  it('without a camera or a grant adds no media flags, so the page sees no device and a denied prompt', () => {
    expect(chromiumArgs({ camera: 'none', grant: false })).toEqual([...QUIET_CHROMIUM_ARGS]);
  });

  it('launches the system Chromium', () => {
    expect(chromiumLaunchOptions({ camera: 'none', grant: true })).toEqual({
      executablePath: SYSTEM_CHROMIUM,
      args: [...QUIET_CHROMIUM_ARGS, '--use-fake-ui-for-media-stream'],
    });
  });
});
