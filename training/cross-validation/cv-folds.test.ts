import { describe, expect, test } from 'vitest';
import type { Sample } from '../data/types.ts';
import { checkSubjectIndependent, crossValidationSplits, subjectIds } from './cv-folds.ts';

/** 30 subjects with 1..5 images each (uneven, as CK+ is). */
function samples(): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i <= s % 5; i++)
      out.push({ id: `S${s}_${i}`, source: `S${s}_${i}.png`, subject: `S${String(s).padStart(3, '0')}`, label: 'happy' });
  }
  return out;
}

describe('crossValidationSplits', () => {
  const all = samples();

  test('k-fold: every subject is tested in exactly one fold, never trained on there, and every image is used', () => {
    const splits = crossValidationSplits(all, { folds: 10, seed: 3, protocol: 'kfold', limitFolds: 0 });
    expect(splits.map((s) => s.name)).toEqual(Array.from({ length: 10 }, (_, i) => `fold-${String(i + 1).padStart(2, '0')}`));
    const tested = splits.flatMap((s) => s.testSubjects);
    expect(tested.sort()).toEqual(subjectIds(all));
    for (const s of splits) {
      const test = new Set(s.testSubjects);
      expect(s.train.some((x) => test.has(x.subject ?? ''))).toBe(false);
      expect(s.train.length + s.test.length).toBe(all.length);
      expect(s.kind).toBe('kfold');
    }
    expect(splits.reduce((n, s) => n + s.test.length, 0)).toBe(all.length);
  });

  test('the paper protocol is one subject-independent split with about a tenth of the images in test', () => {
    const [h, ...rest] = crossValidationSplits(all, { folds: 10, seed: 3, protocol: 'paper', limitFolds: 0 });
    expect(rest).toEqual([]);
    expect(h?.name).toBe('holdout-90-10');
    expect(h?.kind).toBe('holdout');
    expect(h!.test.length).toBeGreaterThanOrEqual(Math.ceil(0.1 * all.length));
    expect(h!.test.length).toBeLessThan(0.1 * all.length + 5);
    expect(h!.train.length + h!.test.length).toBe(all.length);
  });

  test('both = the k folds then the hold-out; limitFolds keeps the first folds only; the seed changes the folds', () => {
    const both = crossValidationSplits(all, { folds: 5, seed: 3, protocol: 'both', limitFolds: 2 });
    expect(both.map((s) => s.name)).toEqual(['fold-01', 'fold-02', 'holdout-90-10']);
    const full = crossValidationSplits(all, { folds: 5, seed: 3, protocol: 'kfold', limitFolds: 0 });
    expect(both[1]?.testSubjects).toEqual(full[1]?.testSubjects);
    const other = crossValidationSplits(all, { folds: 5, seed: 4, protocol: 'kfold', limitFolds: 0 });
    expect(other.map((s) => s.testSubjects.join())).not.toEqual(full.map((s) => s.testSubjects.join()));
  });

  test('bad plans fail with the option named', () => {
    expect(() => crossValidationSplits(all, { folds: 10, seed: 1, protocol: 'loso' as 'kfold', limitFolds: 0 })).toThrow(/--protocol/);
    expect(() => crossValidationSplits(all, { folds: 10, seed: 1, protocol: 'kfold', limitFolds: -1 })).toThrow(/--limitFolds/);
    expect(() => crossValidationSplits(all, { folds: 31, seed: 1, protocol: 'kfold', limitFolds: 0 })).toThrow(
      /30 subjects cannot fill 31 folds/,
    );
  });

  test('checkSubjectIndependent names the subjects on both sides', () => {
    const [a, b, c] = all.filter((s) => s.subject === 'S004');
    expect(() => checkSubjectIndependent({ name: 'fold-03', train: [a!, b!], test: [c!] })).toThrow(
      'fold-03: subjects S004 are in both train and test',
    );
  });
});
