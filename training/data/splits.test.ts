import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCkPlus } from './ckplus.ts';
import { loadImageFolder } from './image-folder.ts';
import { holdOut, holdOutBySubject, kFoldBySubject } from './splits.ts';
import type { Split } from './splits.ts';

interface Item {
  id: string;
  subject?: string;
}

/** 23 subjects with 1..9 items each. */
const ITEMS: Item[] = Array.from({ length: 23 }, (_, s) =>
  Array.from({ length: 1 + ((s * 7) % 9) }, (_, j) => ({ id: `S${s}_${j}`, subject: `S${s}` })),
).flat();

function subjects(items: readonly Item[]): Set<string> {
  return new Set(items.map((i) => i.subject ?? ''));
}

function expectSubjectIndependent(folds: Split<Item>[], items: readonly Item[]): void {
  const seenInTest = new Map<string, number>();
  folds.forEach((fold, f) => {
    expect(fold.train.length + fold.test.length).toBe(items.length);
    const testSubjects = subjects(fold.test);
    for (const s of subjects(fold.train)) expect(testSubjects.has(s), `fold ${f}: subject ${s} in train and test`).toBe(false);
    for (const s of testSubjects) {
      expect(seenInTest.has(s), `subject ${s} in test folds ${seenInTest.get(s)} and ${f}`).toBe(false);
      seenInTest.set(s, f);
    }
  });
  expect(seenInTest.size).toBe(subjects(items).size);
}

describe('kFoldBySubject', () => {
  test('no subject in two folds, every item tested once, sizes within one subject of each other', () => {
    const folds = kFoldBySubject(ITEMS, 5, 1);
    expectSubjectIndependent(folds, ITEMS);
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(9);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ITEMS.length);
  });

  test('deterministic under a seed, different across seeds, independent of input order', () => {
    const ids = (folds: Split<Item>[]): string[][] => folds.map((f) => f.test.map((i) => i.id).sort());
    expect(ids(kFoldBySubject(ITEMS, 4, 9))).toEqual(ids(kFoldBySubject(ITEMS, 4, 9)));
    expect(ids(kFoldBySubject(ITEMS, 4, 9))).not.toEqual(ids(kFoldBySubject(ITEMS, 4, 10)));
    expect(ids(kFoldBySubject([...ITEMS].reverse(), 4, 9))).toEqual(ids(kFoldBySubject(ITEMS, 4, 9)));
  });

  test('rejects items without a subject and more folds than subjects', () => {
    expect(() => kFoldBySubject([...ITEMS, { id: 'lost' }], 3, 1)).toThrow(`item ${ITEMS.length} (lost) has no subject id`);
    expect(() => kFoldBySubject(ITEMS.slice(0, 3), 3, 1)).toThrow(/cannot fill 3 folds/);
    expect(() => kFoldBySubject(ITEMS, 1, 1)).toThrow(/k must be/);
  });
});

describe('hold-out splits', () => {
  test('holdOutBySubject: whole subjects, at least the fraction, deterministic', () => {
    const split = holdOutBySubject(ITEMS, 0.1, 3);
    expectSubjectIndependent([split, { train: split.test, test: split.train }], ITEMS);
    expect(split.test.length).toBeGreaterThanOrEqual(0.1 * ITEMS.length);
    expect(split.test.length).toBeLessThan(0.1 * ITEMS.length + 9);
    expect(holdOutBySubject(ITEMS, 0.1, 3)).toEqual(split);
  });

  test('holdOut: exactly round(fraction * n) items, a partition, deterministic', () => {
    const items = Array.from({ length: 981 }, (_, i) => i);
    const split = holdOut(items, 0.1, 5);
    expect(split.test.length).toBe(98);
    expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(items);
    expect(holdOut(items, 0.1, 5)).toEqual(split);
    expect(holdOut(items, 0.1, 6).test).not.toEqual(split.test);
  });
});

const shared = path.resolve(import.meta.dirname, '../../../shared/datasets');
describe.skipIf(!existsSync(path.join(shared, 'ckplus48')))('splits on real CK+ data (needs ../shared/datasets)', () => {
  test('CK+48 10-fold by subject: 118 subjects, none in two folds', async () => {
    const ds = await loadImageFolder(path.join(shared, 'ckplus48', 'CK+48'));
    const folds = kFoldBySubject(ds.samples, 10, 0);
    expectSubjectIndependent(folds, ds.samples);
  });

  test.skipIf(!existsSync(path.join(shared, 'ckplus-sequences')))('CK+ sequences split by subject for the temporal model', async () => {
    const ds = await loadCkPlus(path.join(shared, 'ckplus-sequences'));
    const folds = kFoldBySubject(ds.sequences, 5, 0);
    expectSubjectIndependent(folds, ds.sequences);
    expect(folds.every((f) => subjects(f.test).size === 2)).toBe(true);
  });
});
