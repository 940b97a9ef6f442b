import { EMOTIONS } from '../../src/core/emotions.ts';
import type { Emotion } from '../../src/core/emotions.ts';
import type { Dataset } from './types.ts';

export interface Moments {
  mean: number;
  /** Population standard deviation. */
  std: number;
}

export interface DatasetStats {
  name: string;
  samples: number;
  /** Distinct subject ids (0 where the dataset has none). */
  subjects: number;
  /** Distinct sequence ids (0 for still images). */
  sequences: number;
  classCounts: Record<Emotion, number>;
  unlabelled: number;
  /** Over samples with a valence/arousal target; undefined when none has one. */
  va?: { count: number; valence: Moments; arousal: Moments };
  skipped: Readonly<Record<string, number>>;
}

/** Label and target statistics of a dataset, from metadata only (no image is read). */
export function datasetStats(dataset: Dataset): DatasetStats {
  const classCounts = Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Record<Emotion, number>;
  let unlabelled = 0;
  const subjects = new Set<string>();
  const sequences = new Set<string>();
  let n = 0;
  let sv = 0;
  let sa = 0;
  let svv = 0;
  let saa = 0;
  for (const s of dataset.samples) {
    if (s.label) classCounts[s.label] += 1;
    else unlabelled += 1;
    if (s.subject !== undefined) subjects.add(s.subject);
    if (s.sequence !== undefined) sequences.add(s.sequence);
    if (s.va) {
      n += 1;
      sv += s.va.valence;
      sa += s.va.arousal;
      svv += s.va.valence * s.va.valence;
      saa += s.va.arousal * s.va.arousal;
    }
  }
  const moments = (sum: number, sq: number): Moments => {
    const mean = sum / n;
    return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
  };
  return {
    name: dataset.name,
    samples: dataset.samples.length,
    subjects: subjects.size,
    sequences: sequences.size,
    classCounts,
    unlabelled,
    va: n > 0 ? { count: n, valence: moments(sv, svv), arousal: moments(sa, saa) } : undefined,
    skipped: dataset.skipped ?? {},
  };
}

/** A short human-readable report, one dataset per block. */
export function formatStats(stats: DatasetStats): string {
  const lines = [
    `${stats.name}: ${stats.samples} samples` +
      (stats.subjects ? `, ${stats.subjects} subjects` : '') +
      (stats.sequences ? `, ${stats.sequences} sequences` : ''),
  ];
  const labelled = stats.samples - stats.unlabelled;
  const width = '(no label)'.length;
  if (labelled > 0) {
    for (const e of EMOTIONS) {
      const c = stats.classCounts[e];
      if (c > 0) lines.push(`  ${e.padEnd(width)} ${String(c).padStart(8)}  ${((100 * c) / labelled).toFixed(1).padStart(5)}%`);
    }
  }
  if (stats.unlabelled > 0) lines.push(`  ${'(no label)'.padEnd(width)} ${String(stats.unlabelled).padStart(8)}`);
  if (stats.va) {
    const { count, valence, arousal } = stats.va;
    lines.push(
      `  valence mean ${valence.mean.toFixed(3)} std ${valence.std.toFixed(3)} | arousal mean ${arousal.mean.toFixed(3)} std ${arousal.std.toFixed(3)} (n=${count})`,
    );
  }
  for (const [reason, count] of Object.entries(stats.skipped)) if (count > 0) lines.push(`  skipped ${count}: ${reason}`);
  return lines.join('\n');
}
