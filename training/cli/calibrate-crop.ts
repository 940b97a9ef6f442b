/**
 * Measures the face-crop margin that makes the app's crop (squareCropBox(detected box, margin)) frame a face
 * the way FER2013 and CK+48 frame theirs, with the app's own detector (BlazeFace, src/core/blazeface-detector.ts). Also reports
 * detection rates, and detection on the full-frame CK+ sequences (rate and speed).
 *
 *   npx tsx training/cli/calibrate-crop.ts [--shared ../shared] [--fer-count 500] [--seed 1] [--sweep] [--ground-truth] [--skip-sequences]
 *
 * --sweep compares ways of framing small images for the detector (enlargement, border) before choosing
 * DEFAULT_DETECTION_FIT. --ground-truth checks that choice where the truth is known: CK+48 images whose
 * source frame is among the CK+ sequences are located in that frame (locateCrop) and their framing measured
 * against the detector's box on the full frame, exactly as the app would see it (about 1 s per image).
 * The recommended margin is the FER+ median (the main training set).
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { squareCropBox, toGray } from '../../src/core/preprocess.ts';
import type { Box, RawImage } from '../../src/core/preprocess.ts';
import { readImage } from '../data/decode.ts';
import { loadCkPlus } from '../data/ckplus.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { loadImageFolder } from '../data/image-folder.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { createRng, shuffled } from '../util/rng.ts';
import { parseArgs, takeFlag } from './args.ts';
import { framingFigures } from '../face/calibrate.ts';
import type { FramingFigures, Spread } from '../face/calibrate.ts';
import { REPO_ROOT, createFaceDetector } from '../face/detect-faces.ts';
import { DEFAULT_DETECTION_FIT } from '../face/fit-for-detection.ts';
import { locateCrop } from '../face/locate-crop.ts';
import type { DetectionFit } from '../face/fit-for-detection.ts';

const USAGE = 'usage: calibrate-crop [--shared ../shared] [--fer-count 500] [--seed 1] [--sweep] [--ground-truth] [--skip-sequences]';

/** Framings compared by --sweep; the last is no enlargement and no border (MediaPipe scales 48 -> 128 itself). */
const SWEEP: readonly DetectionFit[] = [
  { minSide: 192, pad: 0, padValue: 'edge' },
  { minSide: 192, pad: 0.25, padValue: 'edge' },
  { minSide: 192, pad: 0.25, padValue: 128 },
  { minSide: 192, pad: 0.5, padValue: 'edge' },
  { minSide: 192, pad: 0.5, padValue: 128 },
  { minSide: 0, pad: 0, padValue: 'edge' },
];

interface LoadedSet {
  readonly name: string;
  readonly samples: readonly Sample[];
  readonly images: readonly RawImage[];
}

async function loadImages(ds: Dataset, samples: readonly Sample[], name: string): Promise<LoadedSet> {
  return { name, samples, images: await Promise.all(samples.map((s) => ds.loadImage(s))) };
}

const f2 = (v: number): string => v.toFixed(3);
const fmtSpread = (s: Spread): string =>
  `median ${f2(s.median)}  IQR ${f2(s.p25)}..${f2(s.p75)}  p10..p90 ${f2(s.p10)}..${f2(s.p90)}  mean ${f2(s.mean)} sd ${f2(s.std)}`;
const fmtFit = (fit: DetectionFit): string =>
  fit.minSide === 0 ? 'as is' : `enlarge to ${fit.minSide}, border ${fit.pad} (${fit.padValue})`;

async function measureFraming(sets: readonly LoadedSet[], fit: DetectionFit): Promise<{ figures: FramingFigures[]; perSecond: number }> {
  const detector = await createFaceDetector({ fit, clipToFrame: false });
  try {
    const figures: FramingFigures[] = [];
    let count = 0;
    const started = performance.now();
    for (const set of sets) {
      const faces = await detector.detect(set.images);
      count += set.images.length;
      figures.push(framingFigures(set.images.map((img, i) => ({ box: faces[i]?.[0], width: img.width, height: img.height }))));
    }
    return { figures, perSecond: count / ((performance.now() - started) / 1000) };
  } finally {
    await detector.close();
  }
}

/** CK+48 crops located in their full CK+ frames: the dataset's real framing around the app's box. */
async function measureGroundTruth(ck48: readonly Sample[], sequencesDir: string): Promise<void> {
  const pairs = ck48.flatMap((s) => {
    const frame =
      s.subject && s.sequence ? path.join(sequencesDir, s.subject, s.sequence.slice(s.subject.length + 1), path.basename(s.source)) : '';
    return frame && existsSync(frame) ? [{ crop: s.source, frame }] : [];
  });
  const detector = await createFaceDetector();
  let boxes;
  try {
    boxes = await detector.detect(pairs.map((p) => p.frame));
  } finally {
    await detector.close();
  }
  const results: { box?: Box; width: number; height: number }[] = [];
  let worst = 1;
  for (const [i, p] of pairs.entries()) {
    const box = boxes[i]?.[0];
    const crop = await readImage(p.crop);
    if (!box) {
      results.push({ width: crop.width, height: crop.height });
      continue;
    }
    const side = Math.max(box.width, box.height);
    const found = locateCrop(toGray(await readImage(p.frame)), toGray(crop), {
      minSide: Math.round(0.9 * side),
      maxSide: Math.round(2 * side),
      within: squareCropBox(box, 0.75),
    });
    worst = Math.min(worst, found.score);
    // The detector's box in the crop's pixels.
    const s = crop.width / found.box.width;
    results.push({
      box: { x: (box.x - found.box.x) * s, y: (box.y - found.box.y) * s, width: box.width * s, height: box.height * s },
      width: crop.width,
      height: crop.height,
    });
  }
  console.log(
    `\nGround truth: ${pairs.length} CK+48 crops located in their CK+ sequence frames (worst match NCC ${worst.toFixed(4)}), app's box on the full frame`,
  );
  printFigures('CK+48 in full frames', framingFigures(results));
}

function printFigures(name: string, f: FramingFigures): void {
  console.log(`  ${name}: faces in ${f.detected}/${f.images} (${(100 * f.detectionRate).toFixed(1)}%)`);
  console.log(`    margin   ${fmtSpread(f.margin)}`);
  console.log(`    centre x ${fmtSpread(f.offsetX)}  (box sides, + = right)`);
  console.log(`    centre y ${fmtSpread(f.offsetY)}  (box sides, + = down)`);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const shared = path.resolve(takeFlag(args, 'shared') ?? path.resolve(REPO_ROOT, '../shared'));
  const ferCount = Number(takeFlag(args, 'fer-count') ?? 500);
  const seed = Number(takeFlag(args, 'seed') ?? 1);
  const sweep = takeFlag(args, 'sweep') !== undefined;
  const skipSequences = takeFlag(args, 'skip-sequences') !== undefined;
  const groundTruth = takeFlag(args, 'ground-truth') !== undefined;
  const unknown = Object.keys(args.flags);
  if (unknown.length > 0 || args.positionals.length > 0 || !Number.isInteger(ferCount) || ferCount < 1 || !Number.isInteger(seed)) {
    console.error(`${unknown.length > 0 ? `unknown option --${unknown[0]}` : 'bad arguments'}\n${USAGE}`);
    return 2;
  }
  const ferRoot = path.join(shared, 'datasets/ferplus');
  const ck48Root = path.join(shared, 'datasets/ckplus48/CK+48');
  const ckSeqRoot = path.join(shared, 'datasets/ckplus-sequences');
  for (const dir of [ferRoot, ck48Root]) {
    if (!existsSync(dir)) {
      console.error(`${dir}: dataset not found (pass --shared <folder holding datasets/>)`);
      return 1;
    }
  }

  const fer = await loadFerPlus(ferRoot, { split: 'train' });
  const ferSample = shuffled(fer.samples, createRng(seed)).slice(0, ferCount);
  const ck48 = await loadImageFolder(ck48Root, 'ckplus48');
  const sets = [
    await loadImages(fer, ferSample, `FER+ train (${ferSample.length} of ${fer.samples.length}, seed ${seed})`),
    await loadImages(ck48, ck48.samples, 'CK+48'),
  ];

  console.log("Framing of ready-made face crops by the app's detector (unclipped largest box; margin m = (side / box side - 1) / 2)");
  let chosen: FramingFigures[] | undefined;
  for (const fit of sweep ? SWEEP : [DEFAULT_DETECTION_FIT]) {
    const { figures, perSecond } = await measureFraming(sets, fit);
    const isDefault = JSON.stringify(fit) === JSON.stringify(DEFAULT_DETECTION_FIT);
    console.log(`\n${fmtFit(fit)}${isDefault ? '  [default]' : ''}: ${perSecond.toFixed(0)} images/s`);
    figures.forEach((f, i) => printFigures(sets[i]?.name ?? '', f));
    if (isDefault) chosen = figures;
  }
  const ferFigures = chosen?.[0];
  if (ferFigures) {
    const ck = chosen?.[1];
    console.log(
      `\nrecommended FACE_CROP_MARGIN = ${ferFigures.margin.median.toFixed(2)} (FER+ median; CK+48 median ${ck ? ck.margin.median.toFixed(2) : '-'})`,
    );
  }

  if (groundTruth && existsSync(ckSeqRoot)) await measureGroundTruth(ck48.samples, path.join(ckSeqRoot, 'cohn-kanade-images'));

  if (!skipSequences && existsSync(ckSeqRoot)) {
    const seq = await loadCkPlus(ckSeqRoot);
    const started = performance.now();
    const detector = await createFaceDetector();
    const startMs = performance.now() - started;
    try {
      const t0 = performance.now();
      const faces = await detector.detect(seq.samples.map((s) => s.source));
      const seconds = (performance.now() - t0) / 1000;
      const found = faces.filter((f) => f.length > 0).length;
      const multiple = faces.filter((f) => f.length > 1).length;
      console.log(
        `\nCK+ sequences (${seq.sequences.length} sequences, full frames, boxes as the app clips them): faces in ${found}/${faces.length} frames ` +
          `(${((100 * found) / faces.length).toFixed(1)}%), more than one in ${multiple}; ${seconds.toFixed(1)} s = ${(faces.length / seconds).toFixed(0)} frames/s ` +
          `(PNG decode included) after a ${(startMs / 1000).toFixed(1)} s detector start`,
      );
    } finally {
      await detector.close();
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
