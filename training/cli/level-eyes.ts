/**
 * npm run eval:level-eyes -- --cnn RUN [--tilts 0,15,-15] [--deadbands 0] [--ferplus DIR] [--posed DIR] [--limit N]
 * What levelling the eyes (CropSpec.levelEyes: the crop turned by the face's roll) does to a CNN's accuracy on faces
 * framed by the app's detector, on the two validation sets, as they are and with the whole image turned (a tilted
 * head). Every face is cropped upright and levelled (per dead band) from the same detection; all are mirror-averaged.
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { preprocessFace, type CropSpec, type RawImage } from '../../src/core/preprocess.ts';
import { selectBackend } from '../backend/select.ts';
import type { CnnConfig } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import type { CnnBatch } from '../data/cnn-data.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { openDatasets } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { predictCnn } from '../evaluation/evaluate-cnn.ts';
import { createFaceDetector, type TrainingFaceDetector } from '../face/detect-faces.ts';
import { turnImage } from '../face/turn-image.ts';
import { bestDir, loadModelFrom } from '../loops/checkpoint.ts';
import type * as tf from '../backend/tf.ts';
import { parseArgs } from './args.ts';

const HELP = `Accuracy of a CNN on detector-framed faces with the crop upright and with the eyes levelled.

Usage: npm run eval:level-eyes -- --cnn RUN [--tilts 0,15,-15] [--deadbands 0] [--ferplus DIR] [--posed DIR] [--limit N]

  --cnn RUN      a train:cnn run (its best/ model and config's crop)
  --tilts LIST   degrees to turn each whole image by before detection (default 0,15,-15; + = clockwise)
  --deadbands L  levelled crops to score, one per dead band in degrees (CropSpec.levelDeadband; default 0)
  --ferplus DIR  FER+ (its FER2013Valid split, each 48x48 image framed as training's detector frames small images)
  --posed DIR    whole frames of posed faces (default ../shared/datasets/ckplus-sequences)
  --limit N      the first N images of each set (quick looks)
Writes RUN/eval/level-eyes.json.
`;

interface Crops {
  readonly upright: Float32Array[];
  /** One list per dead band. */
  readonly levelled: Float32Array[][];
  readonly labels: number[];
  readonly rolls: number[];
  missed: number;
}

/** Detects the largest face in each (turned) image and crops it both ways with the run's crop spec. */
async function cropBothWays(
  dataset: Dataset,
  detector: TrainingFaceDetector,
  spec: CropSpec,
  degrees: number,
  deadbands: readonly number[],
  limit: number,
): Promise<Crops> {
  const crops: Crops = { upright: [], levelled: deadbands.map(() => []), labels: [], rolls: [], missed: 0 };
  for (const sample of dataset.samples.slice(0, limit > 0 ? limit : undefined)) {
    if (!sample.label) continue;
    const image: RawImage = turnImage(await dataset.loadImage(sample), degrees);
    const [face] = (await detector.detect([image]))[0] ?? [];
    if (!face) {
      crops.missed++;
      continue;
    }
    crops.upright.push(preprocessFace(image, { ...spec, levelEyes: false }, face));
    deadbands.forEach((levelDeadband, i) =>
      crops.levelled[i]?.push(preprocessFace(image, { ...spec, levelEyes: true, levelDeadband }, face)),
    );
    crops.labels.push(EMOTIONS.indexOf(sample.label));
    crops.rolls.push(((face.roll ?? 0) * 180) / Math.PI);
  }
  return crops;
}

async function* asBatches(pixels: readonly Float32Array[], labels: readonly number[], size: number): AsyncGenerator<CnnBatch> {
  for (let i = 0; i < pixels.length; i += 256) {
    const part = pixels.slice(i, i + 256);
    const flat = new Float32Array(part.length * size * size);
    part.forEach((p, k) => flat.set(p, k * size * size));
    yield {
      n: part.length,
      pixels: flat,
      probs: new Float32Array(part.length * 8),
      va: new Float32Array(part.length * 2),
      labels: Int32Array.from(labels.slice(i, i + 256)),
    };
  }
}

/** Accuracy with the argmax restricted to the classes the set has. */
async function accuracy(model: tf.LayersModel, pixels: readonly Float32Array[], labels: readonly number[], size: number): Promise<number> {
  const allowed = EMOTIONS.map((_, i) => labels.includes(i));
  const p = await predictCnn(model, asBatches(pixels, labels, size), size, true);
  let correct = 0;
  p.probs.forEach((row, i) => {
    let best = -1;
    row.forEach((v, k) => {
      if (allowed[k] && (best < 0 || v > (row[best] ?? -Infinity))) best = k;
    });
    if (best === labels[i]) correct++;
  });
  return labels.length > 0 ? correct / labels.length : NaN;
}

function median(values: readonly number[]): number {
  const sorted = values.map(Math.abs).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const run = args.flags.cnn;
  if (!run) throw new ConfigError('--cnn RUN is required (--help)');
  const tilts = (args.flags.tilts ?? '0,15,-15').split(',').map(Number);
  const deadbands = (args.flags.deadbands ?? '0').split(',').map(Number);
  if (deadbands.some((d) => !(d >= 0))) throw new ConfigError(`--deadbands expects numbers >= 0, got "${args.flags.deadbands}"`);
  if (tilts.some((t) => !Number.isFinite(t))) throw new ConfigError(`--tilts expects numbers, got "${args.flags.tilts}"`);
  const limit = Number(args.flags.limit ?? '0');
  await selectBackend('auto', { log: () => undefined });
  const configFile = path.join(bestDir(run), 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as CnnConfig;
  const spec = runCropSpec(config, configFile);
  const model = await loadModelFrom(bestDir(run));
  const detector = await createFaceDetector();
  const posedDir = args.flags.posed ?? '../shared/datasets/ckplus-sequences';
  const [posed] = await openDatasets(posedDir);
  if (!posed) throw new ConfigError(`--posed ${posedDir}: no dataset found`);
  const sets: [string, Dataset][] = [
    ['FER2013Valid', await loadFerPlus(args.flags.ferplus ?? '../shared/datasets/ferplus', { split: 'valid' })],
    [path.basename(posedDir), posed],
  ];
  const rows: {
    set: string;
    tilt: number;
    faces: number;
    missed: number;
    medianRoll: number;
    upright: number;
    levelled: Record<string, number>;
  }[] = [];
  const bandHeads = deadbands.map((d) => `levelled beyond ${d}°`);
  process.stdout.write(`| set | tilt | faces (missed) | median roll | upright | ${bandHeads.join(' | ')} |\n`);
  process.stdout.write(`| --- | --- | --- | --- | --- | ${bandHeads.map(() => '---').join(' | ')} |\n`);
  for (const [name, dataset] of sets) {
    for (const tilt of tilts) {
      const c = await cropBothWays(dataset, detector, spec, tilt, deadbands, limit);
      const levelled: Record<string, number> = {};
      for (const [i, d] of deadbands.entries()) levelled[String(d)] = await accuracy(model, c.levelled[i] ?? [], c.labels, spec.size);
      const row = {
        set: name,
        tilt,
        faces: c.labels.length,
        missed: c.missed,
        medianRoll: median(c.rolls),
        upright: await accuracy(model, c.upright, c.labels, spec.size),
        levelled,
      };
      rows.push(row);
      const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
      process.stdout.write(
        `| ${name} | ${tilt}° | ${row.faces} (${row.missed}) | ${row.medianRoll.toFixed(1)}° | ${pct(row.upright)} | ${deadbands.map((d) => pct(levelled[String(d)] ?? NaN)).join(' | ')} |\n`,
      );
    }
  }
  await detector.close();
  const out = path.join(run, 'eval');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'level-eyes.json'), `${JSON.stringify({ model: run, crop: spec, rows }, null, 2)}\n`);
  model.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`eval:level-eyes: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
