/**
 * npm run bench:live [-- --backends wasm,webgl,webgpu --seconds 20 --port 4174]
 *
 * Per-stage and total frame latency of the live app in the system Chromium with the fake camera playing the
 * CK+ video, per TF.js backend (forced with ?backend=): p50 / p95 in milliseconds over the frames processed
 * in `seconds` after warm-up. Needs `vite build` first (it serves dist/ with vite preview). A benchmark, not
 * a test: it asserts nothing; the real-time target on wasm is total p50 <= 33 ms (30 fps).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, CKPLUS_VIDEO, REPO_ROOT } from '../e2e/fixtures.ts';
import type { DebugFrame } from '../e2e/debug-api.ts';

const STAGES = ['grab', 'detect', 'crop', 'cnn', 'gru', 'worker', 'total'] as const;
const WARM_UP_FRAMES = 30;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`bench:live: ${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const backends = flag('backends', 'wasm,webgl,webgpu').split(',');
  const seconds = Number(flag('seconds', '20'));
  const port = Number(flag('port', '4174'));
  if (!existsSync(path.join(REPO_ROOT, 'dist/index.html'))) throw new Error('bench:live: no dist/ build; run npx vite build first');
  if (!existsSync(CKPLUS_VIDEO)) throw new Error(`bench:live: the fake camera clip ${CKPLUS_VIDEO} is missing (../shared)`);
  const server = spawn(path.join(REPO_ROOT, 'node_modules/.bin/vite'), ['preview', '--port', String(port), '--strictPort'], { cwd: REPO_ROOT, stdio: 'ignore' });
  const base = `http://localhost:${port}`;
  try {
    await waitForServer(base, 30_000);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs({ camera: { file: CKPLUS_VIDEO }, grant: true, extraArgs: ['--enable-unsafe-webgpu'] }),
    });
    console.log(`frame latency in ms (p50 / p95), ${seconds} s per backend after ${WARM_UP_FRAMES} warm-up frames; Chromium fake camera, CK+ clip at 30 fps`);
    console.log(['backend', 'frames', 'fps', ...STAGES].map((c) => c.padEnd(c === 'backend' ? 10 : 15)).join(''));
    for (const backend of backends) {
      const page = await browser.newPage();
      await page.goto(`${base}/?backend=${backend}`);
      await page.getByTestId('detector-status').filter({ hasText: 'Detector: ready' }).waitFor({ timeout: 120_000 });
      const actual = await page.getByTestId('hud').getAttribute('data-backend');
      await page.waitForFunction((n) => (window.circumplex?.frames().length ?? 0) >= n, WARM_UP_FRAMES, { timeout: 120_000 });
      const start = await page.evaluate(() => window.circumplex!.frames().at(-1)!.n);
      await page.waitForTimeout(seconds * 1000);
      const frames: DebugFrame[] = (await page.evaluate(() => window.circumplex!.frames())).filter((f) => f.n > start);
      await page.close();
      const fps = frames.length / seconds;
      const cells = STAGES.map((s) => {
        const v = frames.map((f) => f.stages[s]).sort((a, b) => a - b);
        return `${percentile(v, 50).toFixed(1)} / ${percentile(v, 95).toFixed(1)}`.padEnd(15);
      });
      const name = actual === backend ? backend : `${backend}->${actual}`;
      console.log([name.padEnd(10), String(frames.length).padEnd(15), fps.toFixed(1).padEnd(15), ...cells].join(''));
    }
    await browser.close();
  } finally {
    server.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
