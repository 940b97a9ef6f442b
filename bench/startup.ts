/**
 * npm run bench:startup -- [--runs 8] [--cpu] [--timeline] [--from-blank] [--visits 1] [--settle 1500[,MS...]] [--port 4330] BUILD [BUILD ...]
 *
 * The first prediction of several builds of the app, side by side: each BUILD is a folder `vite build --outDir` wrote
 * (a variant, or another commit built in a worktree), or `human` for the Human peer page (bench/peers, which
 * `npm run bench` builds). Every run takes each build in turn, in a fresh browser context: the empty-cache start, then
 * (once the app's service worker controls the page) a reload, the warm start; the order is reversed every other run,
 * so a machine that slows down or speeds up weighs on all builds alike. The reload comes --settle ms after the first
 * prediction (and the service worker's control), as in `npm run bench`; several values (--settle 0,1500) measure each
 * build at each, alternated too. Prints each build's times and their medians.
 * With --cpu, also the CPU each kind of Chromium thread used during the warm start (Linux /proc; median over the
 * runs), which tells what a start costs on a machine with few cores, where threads wait for each other.
 * With --timeline, also when each step of our app's warm start happened (the User Timing marks of
 * src/features/pipeline/startup-marks.ts; median over the runs, ms since the reload's time origin).
 * With --from-blank, the returning visit is opened from about:blank (the first visit's page gone a second before)
 * rather than reloaded over it, as an installed app is launched: the old page's teardown no longer runs beside it.
 * With --visits N, N returning visits per run instead of one, each a reload --settle ms after the one before was
 * predicting: the warm start of the second, third, ... visit, as an installed app starts day after day (Chromium
 * caches a page's compiled scripts from its third visit on). The warm-start median, --cpu and --timeline stay those
 * of the second visit.
 * Prints figures, asserts nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { launchChromium, SYSTEM_CHROMIUM } from '../harness/chromium.ts';
import { CKPLUS_SOURCE_VIDEO, REPO_ROOT } from '../harness/paths.ts';
import { parseArgs } from '../training/cli/args.ts';
import { circumplex, peer } from './lib/pipelines.ts';
import type { Pipeline } from './lib/pipelines.ts';
import { peerRoutes, startPreview, startStaticServer } from './lib/servers.ts';
import type { RunningServer } from './lib/servers.ts';
import { alternatedOrder, startPair } from './lib/start-pair.ts';
import { median } from './lib/stats.ts';
import { cpuBetween, threadTimes } from './lib/thread-cpu.ts';
import { STARTUP_STEPS, startupTimeline } from '../src/features/pipeline/startup-marks.ts';
import { PEERS_DIST } from './peers/vite.config.ts';

interface Build {
  readonly name: string;
  readonly pipeline: Pipeline;
  readonly server: RunningServer;
}

interface Times {
  readonly empty: number[];
  readonly warm: number[];
  readonly cpu: Map<string, number[]>;
  /** Per start step, its time in each warm start that marked it (--timeline). */
  readonly steps: Map<string, number[]>;
  /** Per returning visit (index 0: the second visit), its warm start in each run (--visits). */
  readonly visits: number[][];
}

async function openBuild(spec: string, port: number): Promise<Build> {
  if (spec === 'human') {
    if (!existsSync(path.join(PEERS_DIST, 'index.html'))) throw new Error('bench:startup: no peer page built; run npm run bench once');
    const server = await startStaticServer(peerRoutes(REPO_ROOT, PEERS_DIST), port);
    return { name: 'human', pipeline: peer('human', server.url), server };
  }
  if (!existsSync(path.join(spec, 'index.html'))) throw new Error(`bench:startup: ${spec} has no index.html (not a vite build)`);
  // With this repository's vite config: its CSP header and precompressed files.
  const server = await startPreview(REPO_ROOT, port, spec);
  return { name: spec, pipeline: circumplex(server.url), server };
}

/** One empty-cache and one warm start of `build` in a fresh context; the warm start's CPU per thread kind. */
interface Options {
  readonly cpu: boolean;
  readonly timeline: boolean;
  /** Returning visits per run (--visits); the first is the warm start the other options describe. */
  readonly visits: number;
  /** The returning visit opened from about:blank (--from-blank). */
  readonly fromBlank: boolean;
}

/** The start steps our app marked on `page`, into `steps`. */
async function collectSteps(page: Page, steps: Map<string, number[]>): Promise<void> {
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map(({ name, startTime }) => ({ name, startTime })));
  for (const [step, ms] of Object.entries(startupTimeline(marks))) steps.set(step, [...(steps.get(step) ?? []), ms]);
}

/** The warm starts of visits 3 and on (the second's is measured by the caller), each `settleMs` after the last. */
async function laterVisits(page: Page, build: Build, times: Times, visits: number, settleMs: number): Promise<void> {
  for (let v = 1; v < visits; v++) {
    await page.waitForTimeout(settleMs);
    await page.reload();
    (times.visits[v] ??= []).push(await build.pipeline.firstPrediction(page, 60_000));
  }
}

async function startTwice(
  browser: Browser,
  build: Build,
  times: Times,
  { cpu, timeline, visits, fromBlank }: Options,
  settleMs: number,
): Promise<void> {
  let before = new Map<string, number>();
  const { emptyMs, warmMs } = await startPair(
    browser,
    build.pipeline,
    { backend: 'wasm', timeoutMs: 60_000, settleMs, fromBlank },
    {
      beforeReload: () => {
        if (cpu) before = threadTimes(path.basename(SYSTEM_CHROMIUM));
      },
      afterWarm: async (page) => {
        const after = cpu ? threadTimes(path.basename(SYSTEM_CHROMIUM)) : new Map<string, number>();
        for (const [kind, ms] of cpuBetween(before, after)) times.cpu.set(kind, [...(times.cpu.get(kind) ?? []), ms]);
        if (timeline && build.pipeline.name === 'circumplex') await collectSteps(page, times.steps);
        await laterVisits(page, build, times, visits, settleMs);
      },
    },
  );
  times.empty.push(emptyMs);
  times.warm.push(warmMs);
  (times.visits[0] ??= []).push(warmMs);
}

function report(name: string, times: Times, runs: number): void {
  const list = (v: readonly number[]): string => v.map((x) => x.toFixed(0)).join(', ');
  console.log(name);
  console.log(`  first prediction, empty cache: median ${median(times.empty).toFixed(0)} ms (${list(times.empty)})`);
  console.log(`  first prediction, warm cache:  median ${median(times.warm).toFixed(0)} ms (${list(times.warm)})`);
  if (times.visits.length > 1)
    times.visits.forEach((v, i) => console.log(`    visit ${i + 2}: median ${median(v).toFixed(0)} ms (${list(v)})`));
  if (times.steps.size > 0) {
    console.log('  steps of the warm start, in time order (median ms since the reload; runs that marked the step):');
    const rows = STARTUP_STEPS.flatMap((step) => {
      const v = times.steps.get(step);
      return v ? [{ step, ms: median(v), n: v.length }] : [];
    });
    for (const { step, ms, n } of rows.sort((a, b) => a.ms - b.ms)) console.log(`    ${ms.toFixed(0).padStart(5)}  ${step} (${n})`);
  }
  if (times.cpu.size === 0) return;
  // A kind missing from a run used no CPU in it.
  const rows = [...times.cpu].map(([kind, v]) => [kind, median([...v, ...Array<number>(runs - v.length).fill(0)])] as const);
  const total = rows.reduce((a, [, v]) => a + v, 0);
  console.log(`  CPU during the warm start (median per thread kind, ms; 10 ms ticks): ${total.toFixed(0)} in all`);
  for (const [kind, ms] of rows.filter(([, v]) => v >= 10).sort((a, b) => b[1] - a[1]))
    console.log(`    ${ms.toFixed(0).padStart(5)}  ${kind}`);
}

async function main(): Promise<void> {
  // --cpu, --timeline and --from-blank take no value: taken out before the shared parser, which would read the next build as its value.
  const argv = process.argv.slice(2);
  const args = parseArgs(argv.filter((a) => a !== '--cpu' && a !== '--timeline' && a !== '--from-blank'));
  const visits = Number(args.flags['visits'] ?? 1);
  const options: Options = {
    cpu: argv.includes('--cpu'),
    timeline: argv.includes('--timeline'),
    visits,
    fromBlank: argv.includes('--from-blank'),
  };
  const specs = args.positionals;
  const runs = Number(args.flags['runs'] ?? 8);
  const port = Number(args.flags['port'] ?? 4330);
  const settles = String(args.flags['settle'] ?? 1500)
    .split(',')
    .map(Number);
  if (args.help || specs.length === 0) {
    process.stdout.write(
      'npm run bench:startup -- [--runs 8] [--cpu] [--timeline] [--from-blank] [--visits 1] [--settle 1500[,MS...]] [--port 4330] BUILD_DIR [BUILD_DIR ... | human]\n',
    );
    return;
  }
  if (!Number.isInteger(runs) || runs <= 0) throw new Error(`bench:startup: --runs must be a positive integer, got ${args.flags['runs']}`);
  if (!Number.isInteger(visits) || visits <= 0)
    throw new Error(`bench:startup: --visits must be a positive integer, got ${args.flags['visits']}`);
  if (settles.some((ms) => !Number.isFinite(ms) || ms < 0))
    throw new Error(`bench:startup: --settle must be milliseconds >= 0 (or several, comma-separated), got ${args.flags['settle']}`);
  if (!existsSync(CKPLUS_SOURCE_VIDEO))
    throw new Error(`bench:startup: the fake camera clip ${CKPLUS_SOURCE_VIDEO} is missing (../shared)`);
  const builds: Build[] = [];
  try {
    for (const [i, spec] of specs.entries()) builds.push(await openBuild(spec, port + i));
    const browser = await launchChromium({ camera: { file: CKPLUS_SOURCE_VIDEO }, grant: true });
    // Every build at every settle time, alternated alike.
    const entries = builds.flatMap((build) => settles.map((settleMs) => ({ build, settleMs })));
    const times = entries.map((): Times => ({ empty: [], warm: [], cpu: new Map(), steps: new Map(), visits: [] }));
    for (let r = 0; r < runs; r++) {
      for (const i of alternatedOrder(entries.length, r))
        await startTwice(browser, entries[i]!.build, times[i]!, options, entries[i]!.settleMs);
    }
    await browser.close();
    console.log(`${runs} runs, wasm, fake camera playing ${path.relative(REPO_ROOT, CKPLUS_SOURCE_VIDEO)}`);
    entries.forEach(({ build, settleMs }, i) =>
      report(
        `${build.name} (${options.fromBlank ? 'opened again from about:blank' : 'reload'} ${settleMs} ms after the first prediction)`,
        times[i]!,
        runs,
      ),
    );
  } finally {
    await Promise.all(builds.map((b) => b.server.close()));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
