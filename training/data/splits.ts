import { createRng, shuffled } from '../util/rng.ts';

export interface Split<T> {
  train: T[];
  test: T[];
}

interface WithSubject {
  id?: string;
  subject?: string;
}

function subjectsOf<T extends WithSubject>(items: readonly T[], caller: string): Map<string, number> {
  const counts = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.subject === undefined) throw new Error(`${caller}: item ${i}${item.id ? ` (${item.id})` : ''} has no subject id`);
    counts.set(item.subject, (counts.get(item.subject) ?? 0) + 1);
  });
  return counts;
}

/** Subjects in a seeded random order; sorting keeps the shuffle independent of the items' order. */
function shuffledSubjects(counts: Map<string, number>, seed: number): string[] {
  return shuffled([...counts.keys()].sort(), createRng(seed));
}

/**
 * Subject-independent k-fold cross-validation (as CK+ results are usually reported): every subject's items
 * fall in exactly one test fold. Subjects are shuffled by `seed`, then placed largest first into the fold with
 * the fewest items so far, which keeps fold sizes close. Items keep their input order within each part.
 * Works for frames or whole sequences: anything with a `subject`.
 */
export function kFoldBySubject<T extends WithSubject>(items: readonly T[], k: number, seed: number): Split<T>[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`kFoldBySubject: k must be an integer >= 2, got ${k}`);
  const counts = subjectsOf(items, 'kFoldBySubject');
  if (counts.size < k) throw new Error(`kFoldBySubject: ${counts.size} subjects cannot fill ${k} folds`);
  const order = shuffledSubjects(counts, seed);
  // Stable sort: equal-sized subjects stay in their shuffled order.
  order.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const foldOf = new Map<string, number>();
  const sizes = new Array<number>(k).fill(0);
  for (const subject of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if ((sizes[f] ?? 0) < (sizes[best] ?? 0)) best = f;
    foldOf.set(subject, best);
    sizes[best] = (sizes[best] ?? 0) + (counts.get(subject) ?? 0);
  }
  return Array.from({ length: k }, (_, f) => ({
    train: items.filter((item) => foldOf.get(item.subject ?? '') !== f),
    test: items.filter((item) => foldOf.get(item.subject ?? '') === f),
  }));
}

/**
 * A subject-independent hold-out split: whole subjects, in seeded random order, go to `test` until it holds at
 * least `fraction` of the items (0.1 gives the usual 90/10).
 */
export function holdOutBySubject<T extends WithSubject>(items: readonly T[], fraction: number, seed: number): Split<T> {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`holdOutBySubject: fraction must be in (0, 1), got ${fraction}`);
  const counts = subjectsOf(items, 'holdOutBySubject');
  if (counts.size < 2) throw new Error(`holdOutBySubject: need at least 2 subjects, got ${counts.size}`);
  const test = new Set<string>();
  let held = 0;
  for (const subject of shuffledSubjects(counts, seed)) {
    if (held >= fraction * items.length || test.size === counts.size - 1) break;
    test.add(subject);
    held += counts.get(subject) ?? 0;
  }
  return {
    train: items.filter((item) => !test.has(item.subject ?? '')),
    test: items.filter((item) => test.has(item.subject ?? '')),
  };
}

/**
 * A random item-level hold-out split (the paper's single 90/10 CK+ split): exactly round(fraction * n) items
 * in `test`. Frames of one subject can land on both sides; prefer holdOutBySubject where subjects are known.
 */
export function holdOut<T>(items: readonly T[], fraction: number, seed: number): Split<T> {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`holdOut: fraction must be in (0, 1), got ${fraction}`);
  const order = shuffled(Array.from(items.keys()), createRng(seed));
  const test = new Set(order.slice(0, Math.round(fraction * items.length)));
  return { train: items.filter((_, i) => !test.has(i)), test: items.filter((_, i) => test.has(i)) };
}
