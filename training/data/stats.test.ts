import { describe, expect, test } from 'vitest';
import { datasetStats, formatStats } from './stats.ts';
import type { Dataset } from './types.ts';

const dataset: Dataset = {
  name: 'toy',
  samples: [
    { id: 'a', source: 'a', subject: 'S1', label: 'happy', va: { valence: 1, arousal: 0 } },
    { id: 'b', source: 'b', subject: 'S1', label: 'happy', va: { valence: 0, arousal: 1 } },
    { id: 'c', source: 'c', subject: 'S2', label: 'sad', sequence: 'q' },
    { id: 'd', source: 'd', va: { valence: -1, arousal: -1 } },
  ],
  skipped: { 'no majority': 2 },
  loadImage: () => Promise.reject(new Error('statistics must not read images')),
};

describe('datasetStats', () => {
  test('class counts, unlabelled, subjects, sequences and VA moments over samples that have VA', () => {
    const s = datasetStats(dataset);
    expect(s.samples).toBe(4);
    expect(s.classCounts.happy).toBe(2);
    expect(s.classCounts.sad).toBe(1);
    expect(s.classCounts.neutral).toBe(0);
    expect(s.unlabelled).toBe(1);
    expect(s.subjects).toBe(2);
    expect(s.sequences).toBe(1);
    expect(s.va?.count).toBe(3);
    expect(s.va?.valence.mean).toBeCloseTo(0, 12);
    expect(s.va?.valence.std).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(s.va?.arousal.mean).toBeCloseTo(0, 12);
    expect(s.skipped).toEqual({ 'no majority': 2 });
  });

  test('formatStats lists non-empty classes with shares, VA and skips', () => {
    const text = formatStats(datasetStats(dataset));
    expect(text).toMatch(/^toy: 4 samples, 2 subjects, 1 sequences/);
    expect(text).toMatch(/happy +2 +66\.7%/);
    expect(text).toMatch(/sad +1 +33\.3%/);
    expect(text).not.toMatch(/neutral/);
    expect(text).toMatch(/\(no label\) +1/);
    expect(text).toMatch(/valence mean 0\.000 std 0\.816 \| arousal mean 0\.000 std 0\.816 \(n=3\)/);
    expect(text).toMatch(/skipped 2: no majority/);
  });
});
