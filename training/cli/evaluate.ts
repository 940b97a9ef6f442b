/**
 * npm run evaluate -- --cnn RUN [--data DIR] [--layout L] [--split test] [--labels majority|original]
 * Whole-set evaluation of a trained CNN: accuracy, macro-F1, valence/arousal CCC + RMSE, confusion matrix
 * (JSON + PNG). With --rnn RUN, the recurrent stage's window CCC/RMSE on real sequences (CK+ layout).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { selectBackend } from '../backend/select.ts';
import { booleanFlag, parseArgs } from './args.ts';
import { bestDir, loadModelFrom } from '../loops/checkpoint.ts';
import { datasetCnnBatches, predictCnn, summarise } from '../evaluation/evaluate-cnn.ts';
import { loadFerPlus, type FerPlusSplit } from '../data/ferplus.ts';
import { detectLayout, openDatasets, type Layout } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { renderConfusionPng, writeConfusionJson } from '../metrics/confusion-report.ts';
import type { CnnConfig, RnnConfig } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { featureExtractor } from '../models/heads.ts';
import { attachFaceBoxes } from '../face/box-cache.ts';
import { detectsFaces, frameFaces, parseFaceFraming } from '../face/frame-faces.ts';
import { buildRnnData } from '../data/rnn-data.ts';
import { evaluateRnn, evaluateRnnPerFrame } from '../loops/train-rnn.ts';

const HELP = `Evaluate trained models.

Usage:
  npm run evaluate -- --cnn RUN [--data DIR] [--layout L] [--split train|valid|test]
                      [--labels majority|original] [--name NAME] [--out DIR]
  npm run evaluate -- --rnn RUN

  --cnn RUN       a train:cnn run folder (its best/ model is evaluated)
  --data DIR      dataset (default ../shared/datasets/ferplus); layout detected unless --layout
  --split S       FER+ split (default test)
  --labels L      FER+ targets: FER+ majority votes (default) or the original FER2013 labels
  --name NAME     report name (default from data/split/labels)
  --out DIR       report folder (default RUN/eval)
  --faces F       auto (default): in whole-frame datasets (JAFFE, CK+ sequences, AFEW-VA without
                  landmarks) the app's detector finds the face and the app's crop frames it, images
                  without a face are left out and counted; detect: always; whole: never
  --mirrorAverage B  outputs averaged over each face and its mirror image, as the app runs the shipped
                  model (default true; false scores the single view the training loop validates on)
  --predictions B  true: also write NAME-predictions.json, every image's id, label and class probabilities
  --rnn RUN       a train:rnn run: window CCC/RMSE on its validation subjects' real sequences

Class predictions are the argmax over the classes the dataset has (e.g. CK+48 has no neutral), so
models with more classes than a dataset are scored on that dataset's classes. Writes NAME.json,
NAME-confusion.json and NAME-confusion.png.
`;

async function evaluateCnnRun(run: string, flags: Record<string, string>): Promise<void> {
  const configFile = path.join(bestDir(run), 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as CnnConfig;
  const crop = runCropSpec(config, configFile);
  const data = flags.data ?? '../shared/datasets/ferplus';
  const labels = flags.labels ?? 'majority';
  let dataset: Dataset;
  let name: string;
  let framing = 'each image whole, as a face crop';
  const layout = flags.layout as Layout | undefined;
  const kind = layout ?? (await detectLayout(data));
  if (kind === 'ferplus') {
    const split = (flags.split ?? 'test') as FerPlusSplit;
    dataset = await loadFerPlus(data, { split, originalLabels: labels === 'original' });
    name = flags.name ?? `ferplus-${split}-${labels}`;
  } else {
    const sets = await openDatasets(data, kind);
    const first = sets[0];
    if (!first) throw new Error(`${data}: no dataset found`);
    dataset = first;
    name = flags.name ?? path.basename(data);
    if (detectsFaces(kind, parseFaceFraming(flags.faces))) {
      const framed = await frameFaces(dataset, crop);
      dataset = framed.dataset;
      framing = framed.framing;
      if (dataset.samples.length === 0) throw new Error(`${data}: no face found in any image`);
    }
  }
  const present = new Set(dataset.samples.map((s) => s.label).filter((l): l is Emotion => l !== undefined));
  const allowed = EMOTIONS.map((e) => present.has(e));
  const model = await loadModelFrom(bestDir(run));
  const mirrorAverage = booleanFlag(flags, 'mirrorAverage', true);
  const p = await predictCnn(model, datasetCnnBatches(dataset, crop), config.inputSize, mirrorAverage);
  // Argmax restricted to the dataset's classes.
  p.predicted = p.probs.map((row) => {
    let best = -1;
    row.forEach((v, i) => {
      if (allowed[i] && (best < 0 || v > (row[best] ?? -Infinity))) best = i;
    });
    return best;
  });
  const e = summarise(p, EMOTIONS.length, p.ms);
  const out = flags.out ?? path.join(run, 'eval');
  await mkdir(out, { recursive: true });
  const counts = Object.fromEntries(
    EMOTIONS.filter((x) => present.has(x)).map((x) => [x, dataset.samples.filter((s) => s.label === x).length]),
  );
  const report = {
    model: run,
    data,
    dataset: dataset.name,
    labels,
    mirrorAverage,
    framing,
    images: e.count,
    classCounts: counts,
    metrics: e.metrics,
    msPerImage: e.msPerImage,
  };
  await writeFile(path.join(out, `${name}.json`), JSON.stringify(report, null, 2));
  if (booleanFlag(flags, 'predictions', false)) {
    const rows = dataset.samples.map((s, i) => ({ id: s.id, label: s.label ?? null, probs: p.probs[i]?.map((v) => Number(v.toFixed(5))) }));
    await writeFile(path.join(out, `${name}-predictions.json`), JSON.stringify({ classes: EMOTIONS, rows }));
  }
  if (e.confusion) {
    const keep = EMOTIONS.map((x, i) => (present.has(x) ? i : -1)).filter((i) => i >= 0);
    const m = keep.map((i) => keep.map((j) => e.confusion?.[i]?.[j] ?? 0));
    const lbls = keep.map((i) => EMOTIONS[i] ?? '');
    writeConfusionJson(m, lbls, path.join(out, `${name}-confusion.json`));
    renderConfusionPng(m, lbls, `${name} (${path.basename(run)})`, path.join(out, `${name}-confusion.png`));
  }
  process.stdout.write(`${name}: ${framing}\n`);
  process.stdout.write(
    `${name}${mirrorAverage ? ' (mirror-averaged)' : ''}: ${JSON.stringify(report.metrics)} on ${e.count} images (${e.msPerImage.toFixed(2)} ms/image) -> ${out}\n`,
  );
}

async function evaluateRnnRun(run: string): Promise<void> {
  const config = JSON.parse(await readFile(path.join(bestDir(run), 'config.json'), 'utf8')) as RnnConfig;
  const cnnConfig = JSON.parse(await readFile(path.join(bestDir(config.cnn), 'config.json'), 'utf8')) as CnnConfig;
  const extractor = { model: featureExtractor(await loadModelFrom(bestDir(config.cnn))), mirrorAverage: config.mirrorAverage ?? false };
  const data = await buildRnnData({ ...config, syntheticSequences: 0 }, extractor, cnnConfig, async (ds) => ({
    withoutFace: (await attachFaceBoxes(ds)).noFace.length,
  }));
  const model = await loadModelFrom(bestDir(run));
  // Runs trained before the target option predicted the next frame.
  const opts = { window: config.window, padStart: true, target: config.target ?? 'next' } as const;
  const e = await evaluateRnn(model, data.val, opts);
  const f = await evaluateRnnPerFrame(model, data.val, opts);
  const report = { model: run, valSubjects: data.valSubjects, windows: e, perFrame: f };
  await mkdir(path.join(run, 'eval'), { recursive: true });
  await writeFile(path.join(run, 'eval', 'ckplus-sequences.json'), JSON.stringify(report, null, 2));
  process.stdout.write(
    `${path.basename(run)} on ${data.valSubjects.join(', ')}: windows ${JSON.stringify(e.metrics)} (${e.windows}); ` +
      `per frame ${JSON.stringify(f.metrics)} (${f.frames} frames, ${f.interpolated} interpolated)\n`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || (!args.flags.cnn && !args.flags.rnn)) {
    process.stdout.write(HELP);
    if (!args.help) process.exitCode = 2;
    return;
  }
  await selectBackend((args.flags.backend as 'auto' | undefined) ?? 'auto', { log: () => undefined });
  if (args.flags.cnn) await evaluateCnnRun(args.flags.cnn, args.flags);
  if (args.flags.rnn) await evaluateRnnRun(args.flags.rnn);
}

main().catch((e: unknown) => {
  process.stderr.write(`evaluate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
