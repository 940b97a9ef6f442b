/**
 * npm run export -- --cnn runs/cnn-efficient [--rnn runs/rnn-gru] [--quantization float16]
 * Exports the best checkpoint of each run to public/models/ (TF.js layers format), updates the manifest,
 * and writes golden fixtures that the app's tests replay.
 */
import { access, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selectBackend } from '../backend/select.ts';
import { booleanFlag, parseArgs } from './args.ts';
import { bestDir, loadModelFrom } from '../loops/checkpoint.ts';
import { exportModel } from '../export/export.ts';
import type { Quantization } from '../export/quantize.ts';
import { upsertManifestFile } from '../export/manifest-upsert.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { UNIT_NORMALISATION } from '../../src/core/preprocess.ts';
import type { CnnConfig, RnnConfig } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { createRng } from '../util/rng.ts';
import { FEATURES_LAYER } from '../models/heads.ts';

const HELP = `Export trained models to public/models/ for the app.

Usage: npm run export -- --cnn RUN_DIR [--rnn RUN_DIR] [--quantization float32|float16|uint8]
                        [--modelsRoot public/models] [--version X] [--mirrorAverage true|false]

  --cnn DIR            a train:cnn run; its best/ checkpoint becomes "expression-cnn"
                       (outputs: 300-d features, 8 class probabilities, valence/arousal)
  --rnn DIR            a train:rnn run; its best/ checkpoint becomes "temporal-gru"
  --quantization Q     weight storage (default float16; uint8 is smallest, see MODEL_CARD.md for its cost)
  --modelsRoot DIR     default public/models
  --version X          default: the date
  --mirrorAverage B    the app averages the CNN's outputs over each face and its mirror image
                       (default true; src/core/mirror-average.ts). The temporal model must be trained on
                       features taken the same way (train:rnn --mirrorAverage, same default).
`;

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function readRunConfig<T>(runDir: string): Promise<T> {
  return JSON.parse(await readFile(path.join(bestDir(runDir), 'config.json'), 'utf8')) as T;
}

/** Deterministic synthetic face-sized inputs: smooth gradients and blobs, in the normalised pixel range. */
export function goldenImages(size: number, count: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    const cx = rng() * size;
    const cy = rng() * size;
    const img = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - cx, y - cy) / size;
        const v = 0.5 + 0.25 * a * (x / size - 0.5) + 0.25 * b * (y / size - 0.5) + 0.3 * Math.exp(-8 * d * d) + 0.05 * (rng() - 0.5);
        img[y * size + x] = Math.min(1, Math.max(0, v));
      }
    }
    return img;
  });
}

interface ExportOptions {
  modelsRoot: string;
  quantization: Quantization;
  version: string;
  mirrorAverage: boolean;
}

/** The CNN run's best checkpoint as "expression-cnn", with its metrics, config and golden outputs. */
async function exportCnnRun(run: string, { modelsRoot, quantization, version, mirrorAverage }: ExportOptions): Promise<void> {
  const config = await readRunConfig<CnnConfig>(run);
  const crop = runCropSpec(config, `${run}: its config.json`);
  const model = await loadModelFrom(bestDir(run));
  const metricsFile = `expression-cnn/metrics.json`;
  const state = JSON.parse(await readFile(path.join(bestDir(run), 'state.json'), 'utf8')) as {
    bestEpoch: number;
    history: { epoch: number; val: Record<string, number> }[];
  };
  const outputs = [
    { name: 'features', size: 300, meaning: 'the 300-d face feature (input of the temporal model)' },
    { name: 'classes', size: EMOTIONS.length, meaning: 'softmax over labels', labels: [...EMOTIONS] },
    { name: 'va', size: 2, meaning: 'valence, arousal (about -1..1, circumplex derived from FER+ votes)' },
  ].filter((o) => o.name === 'features' || model.outputNames.includes(o.name));
  await mkdir(path.join(modelsRoot, 'expression-cnn'), { recursive: true });
  await writeFile(path.join(modelsRoot, metricsFile), JSON.stringify({ bestEpoch: state.bestEpoch, history: state.history }, null, 2));
  await copyFile(path.join(bestDir(run), 'config.json'), path.join(modelsRoot, 'expression-cnn/config.json'));
  const result = await exportModel({
    model,
    outputLayers: [FEATURES_LAYER, ...outputs.filter((o) => o.name !== 'features').map((o) => o.name)],
    modelsRoot,
    quantization,
    extraFiles: [metricsFile, 'expression-cnn/config.json'],
    entry: {
      name: 'expression-cnn',
      version,
      task: 'face-expression',
      input: {
        shape: [config.inputSize, config.inputSize, 1],
        channelOrder: 'gray',
        normalisation: UNIT_NORMALISATION,
        cropMargin: crop.margin,
        cropShiftY: crop.shiftY,
        cropLevelEyes: crop.levelEyes,
        cropLevelDeadband: crop.levelDeadband,
        mirrorAverage,
      },
      outputs,
      provenance: {
        data: `${path.basename(config.data)} (${config.dataset}): FER2013Train for training${config.mixData ? ` with ${path.basename(config.mixData)} mixed in (${config.mixShare} of each epoch${config.mixExcludeSubjects.length > 0 ? `, ${config.mixExcludeSubjects.length} subjects left out` : ''})` : ''}, FER2013Valid for model selection`,
        config: 'expression-cnn/config.json',
        metrics: metricsFile,
        command: `npm run train:cnn -- --outDir ${run} ... && npm run export -- --cnn ${run} --quantization ${quantization}`,
        trainedAt: version,
        licence: config.mixData
          ? 'Weights derived from FER2013 (research use), FER+ labels (MIT) and CK+ (non-commercial research): non-commercial research use only'
          : 'Weights derived from FER2013 (research use) and FER+ labels (MIT): non-commercial research use only',
      },
    },
    golden: { inputs: goldenImages(config.inputSize, 4, 7) },
  });
  upsertManifestFile(path.join(modelsRoot, 'manifest.json'), result.entry);
  process.stdout.write(`exported ${result.entry.name}: ${result.weightBytes} weight bytes (${quantization}) -> ${result.dir}\n`);
}

/** The RNN run's best checkpoint as "temporal-gru", with golden outputs on a random feature window. */
async function exportRnnRun(run: string, { modelsRoot, quantization, version }: ExportOptions): Promise<void> {
  const config = await readRunConfig<RnnConfig>(run);
  const model = await loadModelFrom(bestDir(run));
  const rng = createRng(11);
  const window = new Float32Array(config.window * 300).map(() => rng() * 2 - 1);
  const result = await exportModel({
    model,
    modelsRoot,
    quantization,
    entry: {
      name: 'temporal-gru',
      version,
      task: 'temporal-va',
      input: { shape: [config.window, 300], channelOrder: 'features', normalisation: { scale: 1, offset: 0 } },
      outputs: [
        {
          name: 'va',
          size: 2,
          // Runs trained before the target option predicted the frame after the window.
          meaning: `valence, arousal of ${(config.target ?? 'next') === 'current' ? "the window's last frame" : 'the frame after the window'} (about -1..1)`,
        },
      ],
      provenance: {
        data: 'CK+ sequences (leave-subjects-out) and sequences synthesised from FER2013Train stills',
        command: `npm run train:rnn -- --outDir ${run} ... && npm run export -- --rnn ${run}`,
        trainedAt: version,
        licence: 'Weights derived from CK+ and FER2013: non-commercial research use only',
      },
    },
    golden: { inputs: [window], precision: 6 },
  });
  upsertManifestFile(path.join(modelsRoot, 'manifest.json'), result.entry);
  process.stdout.write(`exported ${result.entry.name}: ${result.weightBytes} weight bytes (${quantization}) -> ${result.dir}\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || (!args.flags.cnn && !args.flags.rnn)) {
    process.stdout.write(HELP);
    if (!args.help) process.exitCode = 2;
    return;
  }
  const modelsRoot = args.flags.modelsRoot ?? 'public/models';
  const quantization = (args.flags.quantization ?? 'float16') as Quantization;
  if (!['float32', 'float16', 'uint8'].includes(quantization))
    throw new Error(`--quantization must be float32, float16 or uint8, got ${quantization}`);
  const version = args.flags.version ?? new Date().toISOString().slice(0, 10);
  const mirrorAverage = booleanFlag(args.flags, 'mirrorAverage', true);
  const options: ExportOptions = { modelsRoot, quantization, version, mirrorAverage };
  // Golden outputs are computed on the cpu backend: the reference every app backend is compared with.
  await selectBackend('cpu', { log: () => undefined });

  if (args.flags.cnn) await exportCnnRun(args.flags.cnn, options);
  if (args.flags.rnn) await exportRnnRun(args.flags.rnn, options);
  if (!(await exists(path.join(modelsRoot, 'manifest.json')))) throw new Error('manifest.json was not written');
}

main().catch((e: unknown) => {
  process.stderr.write(`export: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
