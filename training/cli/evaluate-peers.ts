/**
 * npm run evaluate:peers [-- --data DIR|none] [--extra DIR[,DIR]] [--faces auto|detect|whole] [--models DIR] [--limit N] [--out FILE]
 * Our expression CNN beside the face-api.js expression net and Human's emotion model, in one process, on the
 * same images: FER+ test (majority and original FER2013 labels) and CK+48, and any labelled dataset given with
 * --extra (a held-out, cross-dataset test), its faces framed as the app frames them where its images are frames.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../backend/select.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { detectLayout, openDatasets } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { croppedToFaces, detectsFaces, frameFaces, parseFaceFraming, type FaceCrop, type FaceFraming } from '../face/frame-faces.ts';
import { loadImageFolder } from '../data/image-folder.ts';
import { compareModels } from '../peers/compare.ts';
import { loadFaceApiExpression } from '../peers/face-api-expression.ts';
import { formatTable } from '../peers/format-table.ts';
import { loadHumanEmotion } from '../peers/human-emotion.ts';
import { loadOurCnn, ourFaceCrop } from '../peers/our-cnn.ts';
import type { EmotionClassifier } from '../peers/types.ts';
import { parseArgs } from './args.ts';

const HELP = `Our expression CNN beside the face-api.js and Human emotion models, on the same images.

Usage:
  npm run evaluate:peers -- [--data DIR|none] [--extra DIR[,DIR...]] [--faces auto|detect|whole]
                            [--models DIR] [--limit N] [--out FILE]

  --data DIR     datasets folder holding ferplus/ and ckplus48/CK+48/ (default ../shared/datasets);
                 none: only the --extra datasets
  --extra DIRS   more labelled datasets, comma-separated, in any layout the training CLIs read
                 (class-per-folder images, JAFFE, CK+, AFEW-VA, FER+, fer2013.csv, Aff-Wild2); every
                 split they hold is scored
  --faces F      how --extra images become faces: auto (default) finds the face with the app's detector
                 in whole-frame layouts (JAFFE, CK+, AFEW-VA without landmarks) and crops it as the app
                 does, with our model's crop from its manifest (input.cropMargin, input.cropShiftY); every
                 model gets that same crop; face-crop layouts are taken whole;
                 detect: always; whole: never. Images without a face are left out and counted.
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

/** The --extra datasets, each split named after its folder, faces framed as --faces says. */
async function extraDatasets(
  dirs: readonly string[],
  framing: FaceFraming,
  crop: FaceCrop,
): Promise<{ datasets: Dataset[]; framing: Record<string, string> }> {
  const datasets: Dataset[] = [];
  const notes: Record<string, string> = {};
  for (const dir of dirs) {
    const layout = await detectLayout(dir);
    const sets = await openDatasets(dir, layout);
    for (const set of sets) {
      const name = sets.length > 1 ? `${path.basename(dir)} (${set.name})` : path.basename(dir);
      if (!set.samples.some((s) => s.label !== undefined))
        throw new Error(`${dir}: ${set.name} has no class labels to score the models on`);
      if (detectsFaces(layout, framing)) {
        const framed = await frameFaces(set, crop);
        if (!framed.dataset.samples.some((s) => s.label !== undefined))
          throw new Error(`${dir}: no face found in any labelled image of ${set.name}`);
        datasets.push({ ...croppedToFaces(framed.dataset, crop), name });
        notes[name] = `${layout}: ${framed.framing}`;
      } else {
        datasets.push({ ...set, name });
        notes[name] = `${layout}: each image whole, as a face crop (margin 0)`;
      }
    }
  }
  return { datasets, framing: notes };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const known = new Set(['data', 'extra', 'faces', 'models', 'limit', 'out']);
  const unknown = Object.keys(args.flags).filter((k) => !known.has(k));
  if (unknown.length > 0 || args.positionals.length > 0) {
    process.stderr.write(
      `evaluate:peers: unknown argument ${unknown
        .map((k) => `--${k}`)
        .concat(args.positionals)
        .join(' ')}\n\n${HELP}`,
    );
    process.exitCode = 2;
    return;
  }
  const limit = args.flags.limit === undefined ? 0 : Number(args.flags.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`--limit must be a whole number >= 0, got "${args.flags.limit}"`);
  const data = args.flags.data === 'none' ? undefined : path.resolve(args.flags.data ?? '../shared/datasets');
  const extra = (args.flags.extra ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => path.resolve(d));
  const faces = parseFaceFraming(args.flags.faces);
  if (!data && extra.length === 0) throw new Error('--data none leaves nothing to score: give --extra DIR');
  const modelsDir = path.resolve(args.flags.models ?? path.join(repoRoot, 'public/models'));
  const out = path.resolve(args.flags.out ?? 'runs/peers/peers.json');

  const backend = await selectBackend('wasm', { log: () => undefined });
  const datasets: Dataset[] = [];
  if (data) {
    const ferplus = path.join(data, 'ferplus');
    datasets.push(
      { ...(await loadFerPlus(ferplus, { split: 'test' })), name: 'FER+ test, FER+ majority' },
      { ...(await loadFerPlus(ferplus, { split: 'test', originalLabels: true })), name: 'FER+ test, FER2013 labels' },
      { ...(await loadImageFolder(path.join(data, 'ckplus48/CK+48'))), name: 'CK+48' },
    );
  }
  const extras = await extraDatasets(extra, faces, await ourFaceCrop(modelsDir));
  datasets.push(...extras.datasets);
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
      crop: "FER+ test and CK+48: margin 0, every model gets each dataset image whole (the dataset's own face crop, 48x48 gray), resized by its own preprocessing",
      extraFraming: extras.framing,
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
    process.stdout.write(`\nCrop: ${report.crop}. Backend: ${report.backend}.\n`);
    for (const [name, note] of Object.entries(extras.framing)) process.stdout.write(`${name}: ${note}\n`);
    process.stdout.write(`Report: ${out}\n`);
  } finally {
    for (const m of models) m.dispose();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`evaluate:peers: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
