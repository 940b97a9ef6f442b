/**
 * npm run class-offset -- --cnn RUN --out RUN2 [--emotion neutral] [--scan -1,-0.5,0,0.5,1,1.5,2] [--offset X]
 * Chooses a constant for one class's logit on validation data and writes RUN2, a copy of RUN's best model with it
 * in the class head's bias (training/calibration/class-offset.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { selectBackend } from '../backend/select.ts';
import { addClassOffsets, scanOffsets, type RecallGuard, type ScoredSet } from '../calibration/class-offset.ts';
import type { CnnConfig } from '../config/config.ts';
import { ConfigError } from '../config/config.ts';
import { runCropSpec } from '../config/crop-spec.ts';
import { loadFerPlus } from '../data/ferplus.ts';
import { openDatasets } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { datasetCnnBatches, predictCnn } from '../evaluation/evaluate-cnn.ts';
import { frameFaces } from '../face/frame-faces.ts';
import { bestDir, loadModelFrom, saveBest, type LoopState } from '../loops/checkpoint.ts';
import type * as tf from '../backend/tf.ts';
import { parseArgs } from './args.ts';

const HELP = `Choose an offset for one class's logit on validation data, and write a model that carries it.

Usage: npm run class-offset -- --cnn RUN --out RUN2 [--emotion neutral] [--scan LIST] [--offset X]
                               [--ferplus DIR] [--posed DIR]

  --cnn RUN      a train:cnn run (its best/ model)
  --out RUN2     where the offset model goes (RUN2/best, RUN2/class-offset.json): evaluate, export and
                 train:rnn read it as any run
  --emotion E    the class whose logit moves (default neutral)
  --scan LIST    candidate offsets, comma-separated (default -1,-0.5,0,0.5,1,1.5,2); each is scored on both
                 validation sets, mirror-averaged, and the one with the highest mean macro-F1 is taken (see
                 --keepRecall)
  --keepRecall LIST  classes whose recall on FER2013Valid an offset must keep at --minRecall or above (default
                 sad,anger: an offset toward neutral reads in-the-wild sad and anger faces as neutral); the scan
                 takes the highest mean macro-F1 among the offsets that keep them ("none" to turn the guard off)
  --minRecall R  default 0.4
  --offset X     take X instead of the scan's choice (the scan is still printed)
  --ferplus DIR  FER+ (its FER2013Valid split; default ../shared/datasets/ferplus)
  --posed DIR    posed faces of people the CNN never saw, whole frames framed by the app's detector (default
                 ../shared/datasets/ckplus-sequences: first frames neutral, apex frames the expression)

An offset x multiplies the class's probability by e^x before renormalising; it changes no feature and no
valence/arousal output, so a GRU trained on RUN's features fits RUN2 as well.
`;

function parseList(raw: string): number[] {
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw new ConfigError(`--scan expects numbers, got "${raw}"`);
  return values;
}

async function scoredSet(model: tf.LayersModel, config: CnnConfig, dataset: Dataset, name: string): Promise<ScoredSet> {
  const p = await predictCnn(model, datasetCnnBatches(dataset, runCropSpec(config)), config.inputSize, true);
  const present = new Set(dataset.samples.map((s) => s.label).filter((l): l is Emotion => l !== undefined));
  return { name, labels: p.labels, probs: p.probs, classes: EMOTIONS.filter((e) => present.has(e)) };
}

/** --keepRecall/--minRecall as a guard on the first set (FER2013Valid); undefined for --keepRecall none. */
function recallGuard(classes: string, minRecall: string): RecallGuard | undefined {
  if (classes === 'none') return undefined;
  const list = classes.split(',').map((c) => c.trim()) as Emotion[];
  const unknown = list.filter((c) => !EMOTIONS.includes(c));
  if (unknown.length > 0) throw new ConfigError(`--keepRecall: ${unknown.join(', ')} is not one of ${EMOTIONS.join(', ')}`);
  const min = Number(minRecall);
  if (!(min >= 0 && min <= 1)) throw new ConfigError(`--minRecall must be in [0, 1], got "${minRecall}"`);
  return { set: 0, classes: list, minRecall: min };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const { cnn, out } = args.flags;
  if (!cnn || !out) throw new ConfigError('--cnn RUN and --out RUN2 are required (--help)');
  const emotion = (args.flags.emotion ?? 'neutral') as Emotion;
  if (!EMOTIONS.includes(emotion)) throw new ConfigError(`--emotion must be one of ${EMOTIONS.join(', ')}, got "${emotion}"`);
  const candidates = parseList(args.flags.scan ?? '-1,-0.5,0,0.5,1,1.5,2');
  const guard = recallGuard(args.flags.keepRecall ?? 'sad,anger', args.flags.minRecall ?? '0.4');
  const forced = args.flags.offset === undefined ? undefined : Number(args.flags.offset);
  if (forced !== undefined && !Number.isFinite(forced)) throw new ConfigError(`--offset expects a number, got "${args.flags.offset}"`);
  await selectBackend('auto', { log: () => undefined });
  const configFile = path.join(bestDir(cnn), 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as CnnConfig;
  const model = await loadModelFrom(bestDir(cnn));
  const valid = await loadFerPlus(args.flags.ferplus ?? '../shared/datasets/ferplus', { split: 'valid' });
  const posedDir = args.flags.posed ?? '../shared/datasets/ckplus-sequences';
  const [posedSet] = await openDatasets(posedDir);
  if (!posedSet) throw new ConfigError(`--posed ${posedDir}: no dataset found`);
  const framed = await frameFaces(posedSet, runCropSpec(config, configFile));
  const sets = [
    await scoredSet(model, config, valid, 'FER2013Valid'),
    await scoredSet(model, config, framed.dataset, path.basename(posedDir)),
  ];
  const { rows, best } = scanOffsets(sets, emotion, candidates, guard);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const guardHead = guard ? ` | FER2013Valid recall of ${guard.classes.join(', ')} (>= ${pct(guard.minRecall)})` : '';
  process.stdout.write(
    `| ${emotion} offset | ${sets.map((s) => `${s.name} accuracy, macro-F1`).join(' | ')} | mean macro-F1${guardHead} |\n`,
  );
  process.stdout.write(`| --- | ${sets.map(() => '---').join(' | ')} | ---${guard ? ' | ---' : ''} |\n`);
  for (const r of rows) {
    const recall = guard ? ` | ${guard.classes.map((c) => pct(r.guardedRecall[c] ?? NaN)).join(', ')}${r.passes ? '' : ' (below)'}` : '';
    process.stdout.write(
      `| ${r.offset} | ${r.scores.map((s) => `${pct(s.accuracy)}, ${s.macroF1.toFixed(3)}`).join(' | ')} | ${r.meanMacroF1.toFixed(3)}${recall}${r === best ? ' (best)' : ''} |\n`,
    );
  }
  if (guard && !rows.some((r) => r.passes))
    process.stdout.write('no offset keeps the guarded recall: the highest mean macro-F1 of all is taken\n');
  const offset = forced ?? best.offset;
  addClassOffsets(model, { [emotion]: offset });
  await mkdir(out, { recursive: true });
  // The source run's history stays with the model (export writes it as metrics.json).
  const state = JSON.parse(await readFile(path.join(bestDir(cnn), 'state.json'), 'utf8')) as LoopState;
  await saveBest(out, model, state, config);
  const record = {
    from: cnn,
    emotion,
    offset,
    chosenBy:
      forced === undefined
        ? `scan: highest mean macro-F1${guard ? ` among offsets keeping FER2013Valid recall of ${guard.classes.join(', ')} >= ${guard.minRecall}` : ''}`
        : '--offset',
    guard: guard ?? null,
    rows,
    framing: framed.framing,
  };
  await writeFile(path.join(out, 'class-offset.json'), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${emotion} logit ${offset >= 0 ? '+' : ''}${offset} -> ${bestDir(out)}\n`);
  model.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`class-offset: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
