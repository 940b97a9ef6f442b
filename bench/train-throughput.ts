/**
 * npm run bench:train [-- --backends wasm,cpu,webgpu] [--steps 3]
 * Training throughput (images/s, windows/s) and inference latency (ms per frame, batch 1) per available
 * backend and model, on random inputs of the real shapes. Prints figures; asserts nothing.
 */
import * as tf from '../training/backend/tf.ts';
import { selectBackend, type BackendName } from '../training/backend/select.ts';
import { buildEfficientCnn } from '../training/models/efficient-cnn.ts';
import { buildPaperCnn } from '../training/models/paper-cnn.ts';
import { buildRnn } from '../training/models/rnn.ts';
import { cccLoss, softCrossEntropy } from '../training/metrics/losses.ts';
import { parseArgs } from '../training/cli/args.ts';
import { augment, PAPER_AUGMENT } from '../training/augment/augment.ts';
import { createRng } from '../training/util/rng.ts';

interface Case {
  name: string;
  unit: 'img' | 'win';
  build: () => tf.LayersModel;
  input: number[];
  batch: number;
}

const CASES: Case[] = [
  { name: 'efficient CNN 48x48', unit: 'img', build: () => buildEfficientCnn({ inputSize: 48, heads: 'both' }), input: [48, 48, 1], batch: 64 },
  { name: 'paper CNN 48x48', unit: 'img', build: () => buildPaperCnn({ inputSize: 48, heads: 'both', numClasses: 8 }), input: [48, 48, 1], batch: 64 },
  { name: 'paper CNN 96x96', unit: 'img', build: () => buildPaperCnn({ inputSize: 96, heads: 'both', numClasses: 8 }), input: [96, 96, 1], batch: 32 },
  { name: 'SimpleRNN(100) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'simple' }), input: [100, 300], batch: 64 },
  { name: 'GRU(100) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'gru' }), input: [100, 300], batch: 64 },
  { name: 'GRU(100)-GRU(100)-GRU(50) x 100 frames', unit: 'win', build: () => buildRnn({ kind: 'gru3' }), input: [100, 300], batch: 64 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function bench(c: Case, steps: number, batch: number): Promise<{ perSecond: number; inferMs: number }> {
  const model = c.build();
  const loss: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Scalar> = {};
  for (const name of model.outputNames) loss[name] = name === 'classes' ? (y, p) => softCrossEntropy(y, p) : cccLoss;
  const optimizer = tf.train.momentum(0.01, 0.9);
  model.compile({ optimizer, loss });
  const x = tf.randomUniform([batch, ...c.input]);
  const ys = model.outputs.map((o) => tf.randomUniform([batch, o.shape[1] ?? 1]));
  await model.trainOnBatch(x, ys); // warm-up: kernels compiled, slots created
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await model.trainOnBatch(x, ys);
    times.push(performance.now() - t0);
  }
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
  return { perSecond: (batch / median(times)) * 1000, inferMs: median(infer.slice(1)) };
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
    process.stdout.write('npm run bench:train [-- --backends wasm,cpu,webgpu] [--steps 3] [--models efficient,gru]\n');
    return;
  }
  const backends = (args.flags.backends ?? 'wasm,cpu').split(',') as BackendName[];
  const steps = Number(args.flags.steps ?? 3);
  const only = args.flags.models?.split(',');
  const rows: string[] = [];
  for (const backend of backends) {
    try {
      await selectBackend(backend, { log: () => undefined });
    } catch (e) {
      rows.push(`| ${backend} | (unavailable: ${(e as Error).message.split('\n')[0]}) | | | |`);
      continue;
    }
    for (const c of CASES) {
      if (only && !only.some((o) => c.name.toLowerCase().includes(o.toLowerCase()))) continue;
      // The pure-JS cpu backend needs minutes per step of the larger models: it runs the two smallest only.
      if (backend === 'cpu' && !/efficient|SimpleRNN/.test(c.name)) continue;
      // The pure-JS cpu backend is ~200x slower than wasm: one small step is enough to show it.
      const batch = backend === 'cpu' ? Math.min(8, c.batch) : c.batch;
      const n = backend === 'cpu' ? 1 : steps;
      const r = await bench(c, n, batch);
      const line = `| ${backend} | ${c.name} | ${batch} | ${r.perSecond.toFixed(1)} ${c.unit}/s | ${r.inferMs.toFixed(2)} ms |`;
      rows.push(line);
      process.stderr.write(`${line}\n`);
    }
  }
  process.stdout.write(`\nTraining throughput and inference latency (${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n\n`);
  process.stdout.write('| backend | model | batch | training | inference (batch 1, median) |\n|---|---|---|---|---|\n');
  process.stdout.write(`${rows.join('\n')}\n`);
  process.stdout.write(`\nAugmentation (paper ranges, 48x48, pure JS): ${augmentMicroseconds().toFixed(1)} µs per image\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:train: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
