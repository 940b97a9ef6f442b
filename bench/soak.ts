/**
 * npm run soak [-- --minutes 10 --interval 15 --port 4175]
 *
 * Drives the built app (vite preview of dist/, built by the npm script) in the system Chromium with the fake
 * camera looping the CK+ video, and prints over time: frames processed, fps, the worker's live tensor count
 * and the page's JS heap after a forced GC. Ends with the growth from the first sample after warm-up to the
 * last. A measurement, not a test: e2e/soak.spec.ts asserts the bounds over 2,000 frames in CI.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../harness/chromium.ts';
import { CKPLUS_SOURCE_VIDEO, REPO_ROOT } from '../harness/paths.ts';
import { createSampler, formatSample, SAMPLE_HEADER, waitForFrames } from '../harness/soak-sampler.ts';
import type { SoakSample } from '../harness/soak-sampler.ts';

/** Frames before the first counted sample: models warmed up, GRU state and history ring filling. */
export const WARM_UP_FRAMES = 100;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value ?? fallback;
}

function positive(name: string, fallback: string): number {
  const v = Number(flag(name, fallback));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`soak: --${name} must be a positive number, got ${flag(name, fallback)}`);
  return v;
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`soak: ${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const minutes = positive('minutes', '5');
  const interval = positive('interval', '10');
  const port = positive('port', '4175');
  if (!existsSync(path.join(REPO_ROOT, 'dist/index.html'))) throw new Error('soak: no dist/ build; run npx vite build first');
  if (!existsSync(CKPLUS_SOURCE_VIDEO)) throw new Error(`soak: the fake camera clip ${CKPLUS_SOURCE_VIDEO} is missing (../shared)`);
  const server = spawn(path.join(REPO_ROOT, 'node_modules/.bin/vite'), ['preview', '--port', String(port), '--strictPort'], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });
  const base = `http://localhost:${port}`;
  try {
    await waitForServer(base, 30_000);
    const browser = await launchChromium({ camera: { file: CKPLUS_SOURCE_VIDEO }, grant: true });
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByTestId('detector-status').filter({ hasText: 'Detector: ready' }).waitFor({ timeout: 120_000 });
    await waitForFrames(page, WARM_UP_FRAMES, 120_000);
    const sampler = await createSampler(page, await page.context().newCDPSession(page));
    console.log(`soak: ${minutes} min, a sample every ${interval} s after ${WARM_UP_FRAMES} warm-up frames (fake camera, CK+ clip)`);
    console.log(SAMPLE_HEADER);
    const samples: SoakSample[] = [];
    const end = Date.now() + minutes * 60_000;
    for (;;) {
      const s = await sampler.sample();
      samples.push(s);
      console.log(formatSample(s));
      if (Date.now() >= end) break;
      await page.waitForTimeout(Math.min(interval * 1000, Math.max(0, end - Date.now())));
    }
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const maxTensors = Math.max(...samples.map((s) => s.numTensors));
    console.log(
      `soak: ${last.frames - first.frames} frames in ${last.seconds.toFixed(0)} s (${((last.frames - first.frames) / Math.max(last.seconds, 1e-9)).toFixed(1)} fps); ` +
        `tensors ${first.numTensors} -> ${last.numTensors} (max ${maxTensors}); heap ${(first.heapBytes / 2 ** 20).toFixed(2)} -> ${(last.heapBytes / 2 ** 20).toFixed(2)} MiB`,
    );
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
