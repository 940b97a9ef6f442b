/**
 * npm run evaluate:personal -- --data DIR [--shots K] ...
 * Personal calibration, simulated per subject on a labelled dataset with subject ids (training/personal/simulate.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { PERSONAL_FIT_DEFAULTS, type FitOptions } from '../../src/core/personal-head.ts';
import { selectBackend } from '../backend/select.ts';
import { detectLayout, openDatasets } from '../data/open.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { detectsFaces, frameFaces } from '../face/frame-faces.ts';
import { loadShippedExpressionModel } from '../personal/shipped-outputs.ts';
import { simulateSubject, subjectHalf, summarise, type SubjectFrame, type SubjectResult } from '../personal/simulate.ts';
import { ConfigError } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { resolveConfig } from './resolve-config.ts';

const HELP = `Personal calibration, simulated per subject: K images of each of a subject's expressions adapt the
shipped model (src/core/personal-head.ts, with its guard), the subject's other images test it.

Usage: npm run evaluate:personal -- --data DIR [--shots K] [--subjects all|validation|test] [--seed S]
                                   [--models DIR] [--weightPenalty W] [--biasPenalty B] [--steps N] [--out FILE]

  --data DIR       a labelled dataset with subject ids: CK+ (official layout: each labelled sequence's first
                   frame as neutral and its last as the apex), CK+48 (S###_###_########.png names), JAFFE
                   (KA.AN1.39.tiff names); whole-frame layouts have their faces found by the app's detector
  --shots K        images per expression for the calibration (default 1)
  --subjects H     all (default); validation / test: subjects sorted by id, alternately (0, 2, ... / 1, 3, ...):
                   fitting settings are chosen on validation, reported on test
  --seed S         which images are the shots (default 1)
  --models DIR     the models folder with manifest.json (default public/models)
  --weightPenalty, --biasPenalty, --steps, --learningRate   the fit (defaults: PERSONAL_FIT_DEFAULTS)
  --out FILE       JSON report (default runs/personal/<dataset>-k<K>.json)
`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The options; '' for models and out means the defaults named in the help (they depend on where and what). */
const PERSONAL_DEFAULTS = {
  data: '',
  shots: 1,
  subjects: 'all' as 'all' | 'validation' | 'test',
  seed: 1,
  models: '',
  ...PERSONAL_FIT_DEFAULTS,
  out: '',
};
type PersonalOptions = typeof PERSONAL_DEFAULTS;

/** Options from flags (and --config files) by the training CLIs' one merge; undefined after help or a usage error. */
async function readOptions(argv: readonly string[]): Promise<PersonalOptions | undefined> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return undefined;
  }
  let options: PersonalOptions | undefined;
  let problem = args.positionals.length > 0 ? `unknown argument ${args.positionals.join(' ')}` : undefined;
  try {
    options = await resolveConfig(PERSONAL_DEFAULTS, args);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problem ??= e.message;
  }
  if (!problem && !options?.data) problem = '--data DIR is required';
  if (problem || !options) {
    process.stderr.write(`evaluate:personal: ${problem}\n\n${HELP}`);
    process.exitCode = 2;
    return undefined;
  }
  if (!['all', 'validation', 'test'].includes(options.subjects))
    throw new Error(`--subjects must be all, validation or test, got "${options.subjects}"`);
  return options;
}

/** The labelled samples with a subject id, faces framed as the app frames them when the layout needs it. */
async function labelledFaces(
  data: string,
  crop: { margin: number; shiftY?: number },
): Promise<{ samples: Sample[]; dataset: Dataset; framing: string }> {
  const layout = await detectLayout(data);
  const sets = await openDatasets(data, layout);
  const labelled = sets.flatMap((set) => set.samples.filter((s) => s.label !== undefined).map((s) => ({ s, set })));
  const first = sets[0];
  if (!first || labelled.length === 0) throw new Error(`${data}: no labelled images`);
  const withoutSubject = labelled.filter(({ s }) => s.subject === undefined);
  if (withoutSubject.length > 0)
    throw new Error(
      `${data}: ${withoutSubject.length} images without a subject id (e.g. ${withoutSubject[0]!.s.source}); calibration is per person`,
    );
  if (sets.length > 1) throw new Error(`${data}: holds ${sets.length} splits; give one folder of one split`);
  const dataset: Dataset = { ...first, samples: labelled.map(({ s }) => s) };
  if (!detectsFaces(layout, 'auto')) return { samples: dataset.samples, dataset, framing: `${layout}: each image whole, as a face crop` };
  const framed = await frameFaces(dataset, { margin: crop.margin, shiftY: crop.shiftY ?? 0 });
  return { samples: framed.dataset.samples, dataset: framed.dataset, framing: `${layout}: ${framed.framing}` };
}

function pct(x: number): string {
  return Number.isNaN(x) ? '  -  ' : `${(100 * x).toFixed(1).padStart(5)}%`;
}

async function main(): Promise<void> {
  const options = await readOptions(process.argv.slice(2));
  if (!options) return;
  const { shots, seed, subjects: half } = options;
  const data = path.resolve(options.data);
  const fit: FitOptions = {
    weightPenalty: options.weightPenalty,
    biasPenalty: options.biasPenalty,
    steps: options.steps,
    learningRate: options.learningRate,
  };
  const modelsDir = path.resolve(options.models || path.join(repoRoot, 'public/models'));
  const name = path.basename(data);
  const out = path.resolve(options.out || `runs/personal/${name}-k${shots}.json`);

  await selectBackend('wasm', { log: () => undefined });
  const model = await loadShippedExpressionModel(modelsDir);
  const started = performance.now();
  const { samples, dataset, framing } = await labelledFaces(data, model.crop);
  const chosen = subjectHalf(
    samples.map((s) => s.subject!),
    half,
  );
  const frames: SubjectFrame[] = [];
  try {
    const todo = samples.filter((s) => chosen.has(s.subject!));
    for (let i = 0; i < todo.length; i += 64) {
      const batch = todo.slice(i, i + 64);
      const faces = await Promise.all(
        batch.map(async (s) => ({ image: await dataset.loadImage(s), ...(s.faceBox ? { box: s.faceBox } : {}) })),
      );
      model.outputs(faces).forEach((o, k) => frames.push({ ...o, subject: batch[k]!.subject!, id: batch[k]!.id, label: batch[k]!.label! }));
    }
  } finally {
    model.dispose();
  }
  const allowed = EMOTIONS.filter((e) => frames.some((f) => f.label === e));
  const bySubject = new Map<string, SubjectFrame[]>();
  for (const f of frames) bySubject.set(f.subject, [...(bySubject.get(f.subject) ?? []), f]);
  const results: SubjectResult[] = [...bySubject.keys()].sort().map((s) => simulateSubject(bySubject.get(s)!, shots, allowed, seed, fit));
  const summary = summarise(results);
  const seconds = (performance.now() - started) / 1000;

  process.stdout.write(
    `${name}: ${framing}; ${model.source}; ${frames.length} images of ${results.length} subjects (${half}); K = ${shots}\n`,
  );
  process.stdout.write(`classes scored (argmax among them): ${allowed.join(', ')}\n\nsubject  shots  test  shipped  calibrated  guard\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.subject.padEnd(8)} ${String(r.shots).padStart(5)} ${String(r.tested).padStart(5)}   ${pct(r.shippedAccuracy)}     ${pct(r.personalAccuracy)}   ${r.accepted ? 'used' : `kept shipped: ${r.reason}`}\n`,
    );
  }
  const ccc = (c: { valence: number; arousal: number }): string => `${c.valence.toFixed(3)} / ${c.arousal.toFixed(3)}`;
  process.stdout.write(
    `\noverall (${summary.tested} test images, ${summary.subjects} subjects, correction used for ${summary.accepted}):\n` +
      `  accuracy ${pct(summary.shippedAccuracy)} -> ${pct(summary.personalAccuracy)}; mean gain per subject ${(100 * summary.meanSubjectGain).toFixed(1)} points; worst subject drop ${(100 * summary.worstSubjectDrop).toFixed(1)} points\n` +
      `  valence / arousal CCC against each label's circumplex point: ${ccc(summary.ccc.before)} -> ${ccc(summary.ccc.after)}\n` +
      `  ${seconds.toFixed(1)} s\n`,
  );
  await mkdir(path.dirname(out), { recursive: true });
  const report = {
    createdAt: new Date().toISOString(),
    data,
    framing,
    model: model.source,
    shots,
    seed,
    subjects: half,
    fit,
    machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
    summary,
    perSubject: results.map(({ before: _b, after: _a, labels: _l, ...r }) => r),
  };
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`-> ${path.relative(process.cwd(), out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`evaluate:personal: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
