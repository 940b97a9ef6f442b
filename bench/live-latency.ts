/**
 * npm run bench:live [-- --backends wasm,webgl,webgpu --seconds 20 --port 4174]
 *
 * Per-stage and total frame latency of the live app in the system Chromium with the fake camera playing the
 * CK+ video, per TF.js backend (forced with ?backend=): p50 / p95 in milliseconds over the frames processed
 * in `seconds` after warm-up. Needs `vite build` first (it serves dist/ with vite preview). A benchmark, not
 * a test: it asserts nothing; the real-time target on wasm is total p50 <= 33 ms (30 fps). `npm run bench`
 * measures the same and more, side by side with the peers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../harness/chromium.ts';
import { CKPLUS_SOURCE_VIDEO, REPO_ROOT } from '../harness/paths.ts';
import { circumplex } from './lib/pipelines.ts';
import { startPreview } from './lib/servers.ts';
import { summarise } from './lib/stats.ts';

const STAGES = ['grab', 'detect', 'crop', 'cnn', 'gru', 'worker', 'total'] as const;
const WARM_UP_FRAMES = 30;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const backends = flag('backends', 'wasm,webgl,webgpu').split(',');
  const seconds = Number(flag('seconds', '20'));
  const port = Number(flag('port', '4174'));
  if (!existsSync(path.join(REPO_ROOT, 'dist/index.html'))) throw new Error('bench:live: no dist/ build; run npx vite build first');
  if (!existsSync(CKPLUS_SOURCE_VIDEO)) throw new Error(`bench:live: the fake camera clip ${CKPLUS_SOURCE_VIDEO} is missing (../shared)`);
  const server = await startPreview(REPO_ROOT, port);
  const app = circumplex(server.url);
  try {
    const browser = await launchChromium({ camera: { file: CKPLUS_SOURCE_VIDEO }, grant: true, extraArgs: ['--enable-unsafe-webgpu'] });
    console.log(
      `frame latency in ms (p50 / p95), ${seconds} s per backend after ${WARM_UP_FRAMES} warm-up frames; Chromium fake camera, CK+ clip at 30 fps`,
    );
    console.log(['backend', 'frames', 'fps', ...STAGES].map((c) => c.padEnd(c === 'backend' ? 10 : 15)).join(''));
    for (const backend of backends) {
      const page = await browser.newPage();
      await page.goto(app.url(backend));
      await page.getByTestId('detector-status').filter({ hasText: 'Detector: ready' }).waitFor({ timeout: 120_000 });
      const actual = await app.backend(page);
      await page.waitForFunction((n) => (window.circumplex?.frames().length ?? 0) >= n, WARM_UP_FRAMES, { timeout: 120_000 });
      const start = await page.evaluate(() => window.circumplex!.frames().at(-1)!.t);
      await page.waitForTimeout(seconds * 1000);
      const frames = await app.frames(page, start);
      await page.close();
      const fps = frames.length / seconds;
      const cells = STAGES.map((s) => {
        const v = summarise(frames.map((f) => f.stages[s] ?? NaN));
        return `${v.p50.toFixed(1)} / ${v.p95.toFixed(1)}`.padEnd(15);
      });
      const name = actual === backend ? backend : `${backend}->${actual}`;
      console.log([name.padEnd(10), String(frames.length).padEnd(15), fps.toFixed(1).padEnd(15), ...cells].join(''));
    }
    await browser.close();
  } finally {
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
