import { describe, expect, test } from 'vitest';
import type { FeatureSequence, WindowRef } from '../sequences/windows.ts';
import { createRng } from '../util/rng.ts';
import { epochWindows } from './train-rnn.ts';

const seq = (id: string, subject?: string): FeatureSequence => ({
  id,
  ...(subject ? { subject } : {}),
  features: new Float32Array(0),
  targets: new Float32Array(0),
  present: new Uint8Array(0),
  labelled: new Uint8Array(0),
});

describe('epochWindows', () => {
  // Sequence 0 is real (has a subject) with 5 windows; sequence 1 is synthetic with 200.
  const seqs = [seq('S1', 'S1'), seq('synthetic-0')];
  const all: WindowRef[] = [
    ...Array.from({ length: 5 }, (_, end) => ({ seq: 0, end })),
    ...Array.from({ length: 200 }, (_, end) => ({ seq: 1, end })),
  ];
  const realCount = (w: readonly WindowRef[]) => w.filter((r) => r.seq === 0).length;

  test('realShare 0 draws without replacement in proportion', () => {
    const w = epochWindows(all, seqs, 100, 0, createRng(1));
    expect(w).toHaveLength(100);
    expect(new Set(w.map((r) => `${r.seq}:${r.end}`)).size).toBe(100);
    expect(realCount(w)).toBeLessThanOrEqual(5);
  });

  test('realShare 0.5 gives half the epoch to the few real windows, cycling through all of them', () => {
    const w = epochWindows(all, seqs, 100, 0.5, createRng(2));
    expect(w).toHaveLength(100);
    expect(realCount(w)).toBe(50);
    // Each of the 5 real windows appears 10 times: whole cycles, none favoured.
    const perWindow = new Map<number, number>();
    w.filter((r) => r.seq === 0).forEach((r) => perWindow.set(r.end, (perWindow.get(r.end) ?? 0) + 1));
    expect([...perWindow.values()]).toEqual([10, 10, 10, 10, 10]);
    // Shuffled together, not real first.
    expect(realCount(w.slice(0, 50))).toBeLessThan(50);
    expect(() => epochWindows(all, seqs, 100, 1.5, createRng(3))).toThrow(/realShare must be in \[0, 1\], got 1.5/);
  });
});
