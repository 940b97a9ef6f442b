/**
 * npm run bench [-- --backends auto|wasm,webgl,webgpu --seconds 15 --warmup 30 --runs 2 --starts 5
 *                   --train-steps 2 --train-backends wasm,cpu --skip-train --no-doc --port 4177]
 *
 * Circumplex against the emotion pipelines of Human and face-api.js, in one run: the built app (vite
 * preview of dist/, built by the npm script) and the peer page (bench/peers/, built here) in the system
 * Chromium with the fake camera playing the CK+ clip, on the same TF.js backend, one after the other:
 * per-stage latency p50/p95, sustained fps, the first prediction with empty and with warm caches (medians of
 * `--starts` first and returning visits, taken alternated between the pipelines), bytes fetched, JS heap;
 * the ratios ours / theirs; then Node training throughput (bench/train-throughput.ts). Every measurement
 * is taken `--runs` times and the runs are compared within their own spread. The report goes to
 * runs/bench/report.md and, unless --no-doc, into BENCHMARKS.md. Prints figures, asserts nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { build } from 'vite';
import { launchChromium, SYSTEM_CHROMIUM } from '../harness/chromium.ts';
import { CKPLUS_SOURCE_VIDEO, REPO_ROOT } from '../harness/paths.ts';
import { parseArgs } from '../training/cli/args.ts';
import { chooseBackends, gitCommit, loadAverage, machine, packageVersion, probeAdapters } from './lib/environment.ts';
import { measure, withStarts } from './lib/measure.ts';
import type { Measurement } from './lib/measure.ts';
import type { Pipeline } from './lib/pipelines.ts';
import { circumplex, peer } from './lib/pipelines.ts';
import { agreement, agreementTable, latencyTable, ratioTable, startupTable } from './lib/report.ts';
import { peerRoutes, startPreview, startStaticServer } from './lib/servers.ts';
import { alternatedOrder, startPair } from './lib/start-pair.ts';
import type { StartPair } from './lib/start-pair.ts';
import { PEERS_DIST } from './peers/vite.config.ts';

const OUT_DIR = path.join(REPO_ROOT, 'runs/bench');
/** Longest wait for a first prediction, ms. */
const START_TIMEOUT_MS = 180_000;
const DOC = path.join(REPO_ROOT, 'BENCHMARKS.md');
const DOC_BEGIN = '<!-- bench:report:begin -->';
const DOC_END = '<!-- bench:report:end -->';
const VERSIONED = ['@tensorflow/tfjs', '@vladmandic/human', '@vladmandic/face-api', '@playwright/test'];

function positive(flags: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = flags[name];
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`bench: --${name} must be a positive number, got ${raw}`);
  return v;
}

/** bench/train-throughput.ts in a child process: its markdown table (stdout), progress to our stderr. */
async function trainThroughput(steps: number, backends: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'bench/train-throughput.ts'), '--backends', backends, '--steps', String(steps)],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench: bench/train-throughput.ts exited with ${code}`);
  return out.trim();
}

/**
 * `rounds` start pairs (first visit, returning visit) of every pipeline on `backend`, taken in turn and in reversed
 * order every other round: one start is one sample of a figure that moves by 100-200 ms on this machine from one minute
 * to the next, and taking them alternated lets that drift weigh on every pipeline alike. A pipeline that fails to start
 * has no pairs (its frame measurement reports why).
 */
async function alternatedStarts(browser: Browser, pipelines: readonly Pipeline[], backend: string, rounds: number): Promise<StartPair[][]> {
  const pairs = pipelines.map((): StartPair[] => []);
  const failed = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    for (const i of alternatedOrder(pipelines.length, round)) {
      if (failed.has(i)) continue;
      try {
        pairs[i]!.push(await startPair(browser, pipelines[i]!, { backend, timeoutMs: START_TIMEOUT_MS }));
      } catch {
        failed.add(i);
        pairs[i] = [];
      }
    }
  }
  return pairs;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(
      'npm run bench [-- --backends auto|wasm,webgl,webgpu --seconds 15 --warmup 30 --runs 2 --starts 5 --train-steps 2 --train-backends wasm,cpu --skip-train --no-doc]\n',
    );
    return;
  }
  const flags = args.flags;
  const seconds = positive(flags, 'seconds', 15);
  const warmUpFrames = positive(flags, 'warmup', 30);
  const runs = positive(flags, 'runs', 2);
  const starts = positive(flags, 'starts', 5);
  const trainSteps = positive(flags, 'train-steps', 2);
  const port = positive(flags, 'port', 4177);
  const skipTrain = process.argv.includes('--skip-train');
  const writeDoc = !process.argv.includes('--no-doc');
  if (!existsSync(path.join(REPO_ROOT, 'dist/index.html')))
    throw new Error('bench: no dist/ build; run npx vite build first (npm run bench does)');
  if (!existsSync(CKPLUS_SOURCE_VIDEO)) throw new Error(`bench: the fake camera clip ${CKPLUS_SOURCE_VIDEO} is missing (../shared)`);

  const started = new Date();
  const loadAtStart = loadAverage();
  await build({ configFile: path.join(REPO_ROOT, 'bench/peers/vite.config.ts') });
  const peers = await startStaticServer(peerRoutes(REPO_ROOT, PEERS_DIST), port + 1);
  const app = await startPreview(REPO_ROOT, port);
  const browser = await launchChromium({ camera: { file: CKPLUS_SOURCE_VIDEO }, grant: true, extraArgs: ['--enable-unsafe-webgpu'] });
  const results: Measurement[][] = [];
  let adapters;
  let chosen;
  try {
    adapters = await probeAdapters(browser, `${peers.url}/`);
    chosen = chooseBackends(flags.backends ?? 'auto', adapters);
    const pipelines = [circumplex(app.url), ...(['human', 'face-api'] as const).map((p) => peer(p, peers.url))];
    for (let run = 0; run < runs; run++) {
      const measurements: Measurement[] = [];
      for (const backend of chosen.backends) {
        process.stderr.write(`bench: run ${run + 1}/${runs}, ${backend}, ${starts} start-ups of each pipeline, alternated...\n`);
        const pairs = await alternatedStarts(browser, pipelines, backend, starts);
        for (const [i, p] of pipelines.entries()) {
          process.stderr.write(`bench: run ${run + 1}/${runs}, ${backend}, ${p.name}...\n`);
          const m = withStarts(await measure(browser, p, backend, { seconds, warmUpFrames, timeoutMs: START_TIMEOUT_MS }), pairs[i]!);
          process.stderr.write(
            m.error
              ? `  could not run: ${m.error}\n`
              : `  total ${m.stages['total']?.p50.toFixed(1)} ms p50, ${m.fps.fps.toFixed(1)} fps\n`,
          );
          measurements.push(m);
        }
      }
      results.push(measurements);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await app.close();
    await peers.close();
  }
  const chromiumVersion = browser.version();
  const loadAfterBrowser = loadAverage();
  const train = skipTrain ? undefined : await trainThroughput(trainSteps, flags['train-backends'] ?? 'wasm,cpu');

  const first = results[0] ?? [];
  const failures = first.filter((m) => m.error !== undefined);
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const report = [
    `## Latest run: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${command}\` (${seconds} s measured per pipeline and backend after ${warmUpFrames} warm-up frames; start-ups: the medians of ${starts} per pipeline, alternated; ${runs} run${runs > 1 ? 's' : ''})`,
    `- Machine: ${machine()}; load average (1/5/15 min) ${loadAtStart} at the start, ${loadAfterBrowser} after the browser part`,
    `- Browser: headless Chromium ${chromiumVersion} (system ${SYSTEM_CHROMIUM}), fake camera playing ${path.relative(REPO_ROOT, CKPLUS_SOURCE_VIDEO)}`,
    `- WebGL renderer: ${adapters.webgl}; WebGPU adapter: ${adapters.webgpu}`,
    `- Node ${process.version}; ${VERSIONED.map((n) => `${n} ${packageVersion(REPO_ROOT, n)}`).join(', ')}; commit ${gitCommit(REPO_ROOT)}`,
    `- Backends measured: ${chosen.backends.join(', ')}${chosen.skipped.length > 0 ? `; left out: ${chosen.skipped.join('; ')}` : ''}`,
    ...failures.map((m) => `- ${m.pipeline} on ${m.requested}: could not run (${m.error})`),
    '',
    '### Frame latency (ms, p50 / p95 ±spread of the p50) and sustained fps (run 1)',
    '',
    latencyTable(first),
    '',
    '### Start-up, size and memory (run 1)',
    '',
    startupTable(first),
    '',
    '### Ours / theirs (run 1; below 1x is better for latency, bytes, start-up and heap, above 1x for fps)',
    '',
    ratioTable(first),
    '',
    ...(runs > 1
      ? [
          '### Run-to-run agreement (a run agrees when it differs from run 1 by no more than the larger spread)',
          '',
          agreementTable(agreement(results)),
          '',
        ]
      : []),
    ...(train ? ['### Training throughput (Node, `bench/train-throughput.ts`)', '', train, ''] : []),
  ].join('\n');

  await mkdir(OUT_DIR, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  await writeFile(path.join(OUT_DIR, 'report.md'), `${report}\n`);
  await writeFile(path.join(OUT_DIR, `report-${stamp}.md`), `${report}\n`);
  await writeFile(path.join(OUT_DIR, `results-${stamp}.json`), `${JSON.stringify(results, null, 1)}\n`);
  process.stdout.write(`${report}\n`);
  if (writeDoc) {
    const doc = await readFile(DOC, 'utf8');
    const begin = doc.indexOf(DOC_BEGIN);
    const end = doc.indexOf(DOC_END);
    if (begin < 0 || end < begin) throw new Error(`bench: ${DOC} has no ${DOC_BEGIN} ... ${DOC_END} section to replace`);
    await writeFile(DOC, `${doc.slice(0, begin + DOC_BEGIN.length)}\n${report}\n${doc.slice(end)}`);
    process.stderr.write(`bench: report written to runs/bench/report.md and BENCHMARKS.md\n`);
  } else {
    process.stderr.write('bench: report written to runs/bench/report.md\n');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
