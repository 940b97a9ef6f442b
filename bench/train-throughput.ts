/**
 * npm run bench:train [-- --backends tfjs-node,wasm] [--steps 5] [--models efficient,gru] [--pipeline]
 * Training throughput (images/s, windows/s) and inference latency (ms per frame, batch 1) per available
 * backend and model, on random inputs of the real shapes. Each model is measured on every backend in turn (one
 * process, backends switched between models), so that the ratio to wasm compares runs made under the same load.
 * `--pipeline` measures the data pipeline alone instead (FER+ from ../shared; --data DIR). Prints figures;
 * asserts nothing.
 */
import os from 'node:os';
import * as tf from '../training/backend/tf.ts';
import { nativeTensorFlowVersion, selectBackend, type BackendName } from '../training/backend/select.ts';
import { buildEfficientCnn } from '../training/models/efficient-cnn.ts';
import { buildPaperCnn } from '../training/models/paper-cnn.ts';
import { buildRnn } from '../training/models/rnn.ts';
import { cccLoss, softCrossEntropy } from '../training/metrics/losses.ts';
import { parseArgs } from '../training/cli/args.ts';
import { augment, PAPER_AUGMENT } from '../training/augment/augment.ts';
import { createRng } from '../training/util/rng.ts';
import { CNN_DEFAULTS } from '../training/config/config.ts';
import { measurePipeline } from './lib/pipeline-rate.ts';

interface Case {
  name: string;
  unit: 'img' | 'win';
  build: () => tf.LayersModel;
  input: number[];
  batch: number;
}

const CASES: Case[] = [
  {
    name: 'efficient CNN 48x48',
    unit: 'img',
    build: () => buildEfficientCnn({ inputSize: 48, heads: 'both' }),
    input: [48, 48, 1],
    batch: 64,
  },
  {
    name: 'paper CNN 48x48',
    unit: 'img',
    build: () => buildPaperCnn({ inputSize: 48, heads: 'both', numClasses: 8 }),
    input: [48, 48, 1],
    batch: 64,
  },
  {
    name: 'paper CNN 96x96',
    unit: 'img',
    build: () => buildPaperCnn({ inputSize: 96, heads: 'both', numClasses: 8 }),
    input: [96, 96, 1],
    batch: 32,
  },
  { name: 'SimpleRNN(100) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'simple' }), input: [100, 300], batch: 64 },
  { name: 'GRU(100) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'gru' }), input: [100, 300], batch: 64 },
  { name: 'GRU(100)-GRU(100)-GRU(50) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'gru3' }), input: [100, 300], batch: 64 },
];

interface Result {
  perSecond: number;
  inferMs: number;
  /** CPU seconds of this process per wall second over the timed steps: how many cores the backend kept busy. */
  cores: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function bench(c: Case, steps: number, batch: number): Promise<Result> {
  const model = c.build();
  const loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {};
  for (const name of model.outputNames) loss[name] = name === 'classes' ? (y, p) => softCrossEntropy(y, p) : cccLoss;
  const optimizer = tf.train.momentum(0.01, 0.9);
  model.compile({ optimizer, loss });
  const x = tf.randomUniform([batch, ...c.input]);
  const ys = model.outputs.map((o) => tf.randomUniform([batch, o.shape[1] ?? 1]));
  await model.trainOnBatch(x, ys); // warm-up: kernels compiled, slots created
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await model.trainOnBatch(x, ys);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const cores = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  const x1 = tf.randomUniform([1, ...c.input]);
  const infer: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const y = model.predict(x1);
    const outs = Array.isArray(y) ? y : [y as tf.Tensor];
    await Promise.all(outs.map((t) => t.data()));
    infer.push(performance.now() - t0);
    tf.dispose(outs);
  }
  tf.dispose([x, x1, ...ys]);
  optimizer.dispose();
  model.dispose();
  return { perSecond: (batch / median(times)) * 1000, inferMs: median(infer.slice(1)), cores };
}

const load = (): string => os.loadavg()[0]!.toFixed(1);

/** What each backend ran on: TensorFlow's version and thread settings, wasm's one thread. */
function conditions(backends: readonly BackendName[], loadBefore: string): string {
  const lines = [
    `${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}); 1-minute load average ${loadBefore} before, ${load()} after`,
  ];
  if (backends.includes('tfjs-node')) {
    const threads = ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'TF_ENABLE_ONEDNN_OPTS']
      .map((v) => `${v}=${process.env[v] ?? '(default)'}`)
      .join(' ');
    lines.push(`tfjs-node: TensorFlow ${nativeTensorFlowVersion() ?? '(not loaded)'}, ${threads}`);
  }
  if (backends.includes('wasm')) lines.push('wasm: XNNPACK, SIMD, one thread (tfjs disables wasm threads in Node)');
  return lines.map((l) => `- ${l}`).join('\n');
}

interface Row {
  backend: BackendName;
  c: Case;
  batch: number;
  r?: Result;
  error?: string;
}

function formatRow(row: Row, wasm: Result | undefined): string {
  if (!row.r) return `| ${row.backend} | ${row.c.name} | | (unavailable: ${row.error}) | | | |`;
  const ratio = wasm && row.backend !== 'wasm' ? `${(row.r.perSecond / wasm.perSecond).toFixed(2)}x` : '';
  return `| ${row.backend} | ${row.c.name} | ${row.batch} | ${row.r.perSecond.toFixed(1)} ${row.c.unit}/s | ${ratio} | ${row.r.cores.toFixed(2)} | ${row.r.inferMs.toFixed(2)} ms |`;
}

async function benchModels(backends: BackendName[], steps: number, only: string[] | undefined): Promise<void> {
  const loadBefore = load();
  const unavailable = new Map<BackendName, string>();
  const rows: string[] = [];
  for (const c of CASES) {
    if (only && !only.some((o) => c.name.toLowerCase().includes(o.toLowerCase()))) continue;
    const done: Row[] = [];
    for (const backend of backends) {
      // The pure-JS cpu backend needs minutes per step of the larger models: it runs the two smallest only.
      if (backend === 'cpu' && !/efficient|SimpleRNN/.test(c.name)) continue;
      // The pure-JS cpu backend is ~200x slower than wasm: one small step is enough to show it.
      const batch = backend === 'cpu' ? Math.min(8, c.batch) : c.batch;
      const row: Row = { backend, c, batch };
      try {
        if (unavailable.has(backend)) throw new Error(unavailable.get(backend));
        await selectBackend(backend, { log: () => undefined });
        row.r = await bench(c, backend === 'cpu' ? 1 : steps, batch);
      } catch (e) {
        row.error = (e as Error).message.split('\n')[0] ?? '';
        unavailable.set(backend, row.error);
      }
      done.push(row);
      process.stderr.write(`${formatRow(row, undefined)}\n`);
    }
    const wasm = done.find((d) => d.backend === 'wasm' && d.batch === c.batch)?.r;
    rows.push(...done.map((d) => formatRow(d, wasm)));
  }
  process.stdout.write(
    `\nTraining throughput and inference latency (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${steps} timed steps, median)\n\n`,
  );
  process.stdout.write(`${conditions(backends, loadBefore)}\n\n`);
  process.stdout.write(
    '| backend | model | batch | training | vs wasm | CPU cores busy | inference (batch 1, median) |\n|---|---|---|---|---|---|---|\n',
  );
  process.stdout.write(`${rows.join('\n')}\n`);
}

async function benchPipeline(data: string, batches: number): Promise<void> {
  // One untimed pass first: the measured passes read the same files from the page cache, as every epoch after
  // the first does.
  await measurePipeline(data, batches, false);
  const loadBefore = load();
  const rows: string[] = [];
  for (const augment of [false, true]) {
    const r = await measurePipeline(data, batches, augment);
    rows.push(
      `| ${augment ? 'read + decode + preprocess + augment' : 'read + decode + preprocess'} | ${r.images} | ${r.perSecond.toFixed(0)} img/s | ${r.cores.toFixed(2)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(
    `\nCNN data pipeline alone, FER+ training split, 48x48, batches of 64, files in the page cache (${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n\n`,
  );
  process.stdout.write(`- ${os.availableParallelism()} cores; 1-minute load average ${loadBefore} before, ${load()} after\n\n`);
  process.stdout.write('| stages | images | rate | CPU cores busy |\n|---|---|---|---|\n');
  process.stdout.write(`${rows.join('\n')}\n`);
}

/** Microseconds per 48x48 image of the paper augmentation (pure JS, no backend), median of 5 runs of 500. */
function augmentMicroseconds(): number {
  const size = 48;
  const img = Float32Array.from({ length: size * size }, (_, i) => (i * 37) % 256);
  const rng = createRng(5);
  for (let i = 0; i < 50; i++) augment(img, size, rng, PAPER_AUGMENT);
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) augment(img, size, rng, PAPER_AUGMENT);
    runs.push(((performance.now() - t0) * 1000) / 500);
  }
  return median(runs);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(
      'npm run bench:train [-- --backends tfjs-node,wasm,cpu,webgpu] [--steps 5] [--models efficient,gru]\n' +
        'npm run bench:train -- --pipeline [--batches 60] [--data ../shared/datasets/ferplus]\n',
    );
    return;
  }
  if (args.flags.pipeline !== undefined) {
    await benchPipeline(args.flags.data ?? CNN_DEFAULTS.data, Number(args.flags.batches ?? 60));
    return;
  }
  const backends = (args.flags.backends ?? 'wasm,cpu').split(',') as BackendName[];
  await benchModels(backends, Number(args.flags.steps ?? 5), args.flags.models?.split(','));
  process.stdout.write(`\nAugmentation (paper ranges, 48x48, pure JS): ${augmentMicroseconds().toFixed(1)} µs per image\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:train: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
