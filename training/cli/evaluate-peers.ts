/**
 * npm run evaluate:peers [-- --data DIR] [--models DIR] [--limit N] [--out FILE]
 * Our expression CNN beside the face-api.js expression net and Human's emotion model, in one process, on the
 * same images: FER+ test (majority and original FER2013 labels) and CK+48.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../backend/select.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { loadImageFolder } from '../data/image-folder.ts';
import { compareModels } from '../peers/compare.ts';
import { loadFaceApiExpression } from '../peers/face-api-expression.ts';
import { formatTable } from '../peers/format-table.ts';
import { loadHumanEmotion } from '../peers/human-emotion.ts';
import { loadOurCnn } from '../peers/our-cnn.ts';
import type { EmotionClassifier } from '../peers/types.ts';
import { parseArgs } from './args.ts';

const HELP = `Our expression CNN beside the face-api.js and Human emotion models, on the same images.

Usage:
  npm run evaluate:peers -- [--data DIR] [--models DIR] [--limit N] [--out FILE]

  --data DIR     datasets folder holding ferplus/ and ckplus48/CK+48/ (default ../shared/datasets)
  --models DIR   our models folder with manifest.json (default public/models)
  --limit N      N images of each dataset, evenly spaced through it, for a quick run (default: all)
  --out FILE     JSON report (default runs/peers/peers.json)

Datasets: FER+ test with FER+ majority labels, the same images with their original FER2013 labels,
and CK+48. The images are face crops already: every model gets the whole image (crop margin 0 around
the dataset's crop) and resizes and converts it with its own documented preprocessing. Each model's
answer is its argmax over the classes scored, reported on (a) the dataset's classes the model has and
(b) the classes all models share. ms per face: batch 1, wasm backend, median over all faces, including
each model's preprocessing from decoded pixels. The peers' models are read from node_modules
(@vladmandic/face-api model/, @vladmandic/human models/) and run on this process's tfjs.
`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const known = new Set(['data', 'models', 'limit', 'out']);
  const unknown = Object.keys(args.flags).filter((k) => !known.has(k));
  if (unknown.length > 0 || args.positionals.length > 0) {
    process.stderr.write(`evaluate:peers: unknown argument ${unknown.map((k) => `--${k}`).concat(args.positionals).join(' ')}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const limit = args.flags.limit === undefined ? 0 : Number(args.flags.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`--limit must be a whole number >= 0, got "${args.flags.limit}"`);
  const data = path.resolve(args.flags.data ?? '../shared/datasets');
  const modelsDir = path.resolve(args.flags.models ?? path.join(repoRoot, 'public/models'));
  const out = path.resolve(args.flags.out ?? 'runs/peers/peers.json');

  const backend = await selectBackend('wasm', { log: () => undefined });
  const ferplus = path.join(data, 'ferplus');
  const datasets = [
    { ...(await loadFerPlus(ferplus, { split: 'test' })), name: 'FER+ test, FER+ majority' },
    { ...(await loadFerPlus(ferplus, { split: 'test', originalLabels: true })), name: 'FER+ test, FER2013 labels' },
    { ...(await loadImageFolder(path.join(data, 'ckplus48/CK+48'))), name: 'CK+48' },
  ];
  const models: EmotionClassifier[] = [];
  try {
    models.push(await loadOurCnn(modelsDir), await loadFaceApiExpression(repoRoot), await loadHumanEmotion(repoRoot));
    const started = performance.now();
    const comparison = await compareModels(models, datasets, {
      limit,
      progress: (done, total) => process.stderr.write(`\r${done} / ${total} images`),
    });
    process.stderr.write('\n');
    const report = {
      createdAt: new Date().toISOString(),
      backend: `${backend.name}: ${backend.reason}`,
      crop: 'margin 0: every model gets each dataset image whole (the dataset\'s own face crop, 48x48 gray), resized by its own preprocessing',
      machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
      seconds: (performance.now() - started) / 1000,
      limit: limit || null,
      models: models.map((m) => ({ name: m.name, source: m.source, preprocessing: m.preprocessing, labels: m.labels })),
      ...comparison,
    };
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${formatTable(comparison)}\n\n`);
    for (const m of report.models) process.stdout.write(`- ${m.name}: ${m.source}; ${m.preprocessing}\n`);
    process.stdout.write(`\nCrop: ${report.crop}. Backend: ${report.backend}.\nReport: ${out}\n`);
  } finally {
    for (const m of models) m.dispose();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`evaluate:peers: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
