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
import { parseArgs } from './args.ts';

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
const KNOWN = new Set(['data', 'shots', 'subjects', 'seed', 'models', 'weightPenalty', 'biasPenalty', 'steps', 'learningRate', 'out']);

function numberFlag(flags: Record<string, string>, key: string, fallback: number): number {
  const raw = flags[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new Error(`--${key} must be a number, got "${raw}"`);
  return value;
}

/** The labelled samples with a subject id, faces framed as the app frames them when the layout needs it. */
async function labelledFaces(data: string, crop: { margin: number; shiftY?: number }): Promise<{ samples: Sample[]; dataset: Dataset; framing: string }> {
  const layout = await detectLayout(data);
  const sets = await openDatasets(data, layout);
  const labelled = sets.flatMap((set) => set.samples.filter((s) => s.label !== undefined).map((s) => ({ s, set })));
  const first = sets[0];
  if (!first || labelled.length === 0) throw new Error(`${data}: no labelled images`);
  const withoutSubject = labelled.filter(({ s }) => s.subject === undefined);
  if (withoutSubject.length > 0) throw new Error(`${data}: ${withoutSubject.length} images without a subject id (e.g. ${withoutSubject[0]!.s.source}); calibration is per person`);
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
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const unknown = Object.keys(args.flags).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0 || args.positionals.length > 0 || !args.flags.data) {
    process.stderr.write(`evaluate:personal: ${args.flags.data ? `unknown argument ${unknown.map((k) => `--${k}`).concat(args.positionals).join(' ')}` : '--data DIR is required'}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const data = path.resolve(args.flags.data);
  const shots = numberFlag(args.flags, 'shots', 1);
  const seed = numberFlag(args.flags, 'seed', 1);
  const half = (args.flags.subjects ?? 'all') as 'all' | 'validation' | 'test';
  if (!['all', 'validation', 'test'].includes(half)) throw new Error(`--subjects must be all, validation or test, got "${half}"`);
  const fit: FitOptions = {
    weightPenalty: numberFlag(args.flags, 'weightPenalty', PERSONAL_FIT_DEFAULTS.weightPenalty),
    biasPenalty: numberFlag(args.flags, 'biasPenalty', PERSONAL_FIT_DEFAULTS.biasPenalty),
    steps: numberFlag(args.flags, 'steps', PERSONAL_FIT_DEFAULTS.steps),
    learningRate: numberFlag(args.flags, 'learningRate', PERSONAL_FIT_DEFAULTS.learningRate),
  };
  const modelsDir = path.resolve(args.flags.models ?? path.join(repoRoot, 'public/models'));
  const name = path.basename(data);
  const out = path.resolve(args.flags.out ?? `runs/personal/${name}-k${shots}.json`);

  await selectBackend('wasm', { log: () => undefined });
  const model = await loadShippedExpressionModel(modelsDir);
  const started = performance.now();
  const { samples, dataset, framing } = await labelledFaces(data, model.crop);
  const chosen = subjectHalf(samples.map((s) => s.subject!), half);
  const frames: SubjectFrame[] = [];
  try {
    const todo = samples.filter((s) => chosen.has(s.subject!));
    for (let i = 0; i < todo.length; i += 64) {
      const batch = todo.slice(i, i + 64);
      const faces = await Promise.all(batch.map(async (s) => ({ image: await dataset.loadImage(s), ...(s.faceBox ? { box: s.faceBox } : {}) })));
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

  process.stdout.write(`${name}: ${framing}; ${model.source}; ${frames.length} images of ${results.length} subjects (${half}); K = ${shots}\n`);
  process.stdout.write(`classes scored (argmax among them): ${allowed.join(', ')}\n\nsubject  shots  test  shipped  calibrated  guard\n`);
  for (const r of results) {
    process.stdout.write(`${r.subject.padEnd(8)} ${String(r.shots).padStart(5)} ${String(r.tested).padStart(5)}   ${pct(r.shippedAccuracy)}     ${pct(r.personalAccuracy)}   ${r.accepted ? 'used' : `kept shipped: ${r.reason}`}\n`);
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
