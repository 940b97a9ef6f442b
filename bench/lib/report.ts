/**
 * The benchmark report as markdown: pure formatting of measurements, so the same tables go to the
 * terminal, runs/bench/report.md and BENCHMARKS.md.
 */
import type { Measurement } from './measure.ts';
import type { Summary } from './stats.ts';
import { agrees } from './stats.ts';

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const r of rows)
    if (r.length !== header.length) throw new Error(`markdownTable: a row has ${r.length} cells, the header ${header.length}`);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const DASH = '–';

export function ms(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : DASH;
}

/** "p50 / p95 ±spread" in ms; a dash when the stage was not measured. */
export function latency(s: Summary | undefined): string {
  if (!s || s.n === 0) return DASH;
  const spread = Number.isFinite(s.spread) ? ` ±${s.spread.toFixed(1)}` : '';
  return `${ms(s.p50)} / ${ms(s.p95)}${spread}`;
}

export function bytes(v: number): string {
  if (!Number.isFinite(v)) return DASH;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} MB`;
  return `${(v / 1e3).toFixed(0)} kB`;
}

/** ours / theirs as "0.41x"; a dash when either is missing or theirs is 0. */
export function ratio(ours: number, theirs: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return DASH;
  return `${(ours / theirs).toFixed(2)}x`;
}

function backendCell(m: Measurement): string {
  return m.backend && m.backend !== m.requested ? `${m.requested} (ran on ${m.backend})` : m.requested;
}

const MODEL_STAGE: Record<string, string> = { circumplex: 'cnn', human: 'emotion', 'face-api': 'emotion' };

export function latencyTable(ms_: readonly Measurement[]): string {
  const rows = ms_
    .filter((m) => m.error === undefined)
    .map((m) => [
      backendCell(m),
      m.pipeline,
      String(m.stages['total']?.n ?? 0),
      Number.isFinite(m.faceShare) ? `${(m.faceShare * 100).toFixed(0)}%` : DASH,
      latency(m.stages['grab']),
      latency(m.stages['detect']),
      latency(m.stages['crop']),
      latency(m.stages[MODEL_STAGE[m.pipeline] ?? '']),
      latency(m.stages['gru']),
      latency(m.stages['total']),
      `${ms(m.fps.fps)} ±${ms(m.fps.spread)}`,
      ms(m.cameraFps),
    ]);
  return markdownTable(
    ['backend', 'pipeline', 'frames', 'faces', 'grab', 'detect', 'crop', 'emotion model', 'GRU', 'total', 'fps', 'camera fps'],
    rows,
  );
}

/** The heap, with its parts when the pipeline runs in several threads: "16.9 MB (page 13.9 MB, face-pipeline 3.1 MB)". */
export function heapCell(m: Pick<Measurement, 'heapBytes' | 'heapParts'>): string {
  const parts = Object.entries(m.heapParts);
  if (parts.length < 2) return bytes(m.heapBytes);
  return `${bytes(m.heapBytes)} (${parts.map(([name, v]) => `${name} ${bytes(v)}`).join(', ')})`;
}

/** A start's median, with the range of its samples when there were several: "600 ms (561-776, 5 starts)". */
export function startCell(medianMs: number, samples: readonly number[]): string {
  if (samples.length < 2) return `${ms(medianMs, 0)} ms`;
  return `${ms(medianMs, 0)} ms (${ms(Math.min(...samples), 0)}-${ms(Math.max(...samples), 0)}, ${samples.length} starts)`;
}

export function startupTable(ms_: readonly Measurement[]): string {
  const rows = ms_
    .filter((m) => m.error === undefined)
    .map((m) => [
      backendCell(m),
      m.pipeline,
      startCell(m.coldUncachedMs, m.coldUncachedSamplesMs),
      startCell(m.coldCachedMs, m.coldCachedSamplesMs),
      bytes(m.modelBytes),
      bytes(m.transferredBytes),
      bytes(m.pageBytes),
      heapCell(m),
    ]);
  return markdownTable(
    [
      'backend',
      'pipeline',
      'first prediction, empty cache',
      'first prediction, warm cache',
      'model bytes',
      'bytes transferred',
      'all bytes fetched (decoded)',
      'JS heap',
    ],
    rows,
  );
}

/** Ours / theirs per backend and peer, for every backend where both ran. */
export function ratioTable(ms_: readonly Measurement[]): string {
  const rows: string[][] = [];
  for (const ours of ms_.filter((m) => m.pipeline === 'circumplex' && m.error === undefined)) {
    for (const theirs of ms_.filter((m) => m.pipeline !== 'circumplex' && m.requested === ours.requested && m.error === undefined)) {
      rows.push([
        ours.requested,
        theirs.pipeline,
        ratio(ours.stages['total']?.p50 ?? NaN, theirs.stages['total']?.p50 ?? NaN),
        ratio(ours.stages['total']?.p95 ?? NaN, theirs.stages['total']?.p95 ?? NaN),
        ratio(ours.fps.fps, theirs.fps.fps),
        ratio(ours.modelBytes, theirs.modelBytes),
        ratio(ours.transferredBytes, theirs.transferredBytes),
        ratio(ours.coldUncachedMs, theirs.coldUncachedMs),
        ratio(ours.coldCachedMs, theirs.coldCachedMs),
        ratio(ours.heapBytes, theirs.heapBytes),
      ]);
    }
  }
  return markdownTable(
    [
      'backend',
      'vs',
      'total latency p50',
      'total latency p95',
      'fps',
      'model bytes',
      'bytes transferred',
      'first prediction, empty cache',
      'first prediction, warm cache',
      'JS heap',
    ],
    rows,
  );
}

export interface Agreement {
  readonly backend: string;
  readonly pipeline: string;
  readonly metric: string;
  readonly values: readonly { value: number; spread: number }[];
  readonly agree: boolean;
}

/** Total p50 and fps of each pipeline and backend across runs: each run against the first, within their spreads. */
export function agreement(runs: readonly (readonly Measurement[])[]): Agreement[] {
  const out: Agreement[] = [];
  const first = runs[0] ?? [];
  for (const m of first.filter((x) => x.error === undefined)) {
    const same = runs.map((r) => r.find((x) => x.pipeline === m.pipeline && x.requested === m.requested && x.error === undefined));
    const metrics: [string, (x: Measurement) => { value: number; spread: number }][] = [
      ['total p50 (ms)', (x) => ({ value: x.stages['total']?.p50 ?? NaN, spread: x.stages['total']?.spread ?? NaN })],
      ['fps', (x) => ({ value: x.fps.fps, spread: x.fps.spread })],
    ];
    for (const [metric, read] of metrics) {
      const values = same.map((x) => (x ? read(x) : { value: NaN, spread: NaN }));
      out.push({ backend: m.requested, pipeline: m.pipeline, metric, values, agree: values.every((v) => agrees(values[0]!, v)) });
    }
  }
  return out;
}

export function agreementTable(rows: readonly Agreement[]): string {
  const runs = Math.max(0, ...rows.map((r) => r.values.length));
  const header = ['backend', 'pipeline', 'metric', ...Array.from({ length: runs }, (_, i) => `run ${i + 1} (±spread)`), 'agree'];
  return markdownTable(
    header,
    rows.map((r) => [r.backend, r.pipeline, r.metric, ...r.values.map((v) => `${ms(v.value)} ±${ms(v.spread)}`), r.agree ? 'yes' : 'no']),
  );
}
