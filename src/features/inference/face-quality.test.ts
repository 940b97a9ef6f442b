import { describe, expect, it } from 'vitest';
import { DEFAULT_QUALITY_THRESHOLDS, qualityIssues } from './face-quality.ts';

const good = { sizePx: 200, brightness: 120, score: 0.9 };

describe('qualityIssues', () => {
  it('finds nothing wrong with a large, evenly lit, confidently detected face', () => {
    expect(qualityIssues(good)).toEqual([]);
  });

  it('flags each signal just past its threshold and not at it', () => {
    const t = DEFAULT_QUALITY_THRESHOLDS;
    expect(qualityIssues({ ...good, brightness: t.minBrightness - 0.1 })).toEqual(['dark']);
    expect(qualityIssues({ ...good, brightness: t.minBrightness })).toEqual([]);
    expect(qualityIssues({ ...good, brightness: t.maxBrightness + 0.1 })).toEqual(['bright']);
    expect(qualityIssues({ ...good, brightness: t.maxBrightness })).toEqual([]);
    expect(qualityIssues({ ...good, sizePx: t.minSizePx - 1 })).toEqual(['small']);
    expect(qualityIssues({ ...good, score: t.minScore - 0.01 })).toEqual(['uncertain']);
  });

  it('lists several issues, lighting first', () => {
    expect(qualityIssues({ sizePx: 30, brightness: 10, score: 0.5 })).toEqual(['dark', 'small', 'uncertain']);
  });

  it('takes other thresholds', () => {
    expect(qualityIssues(good, { minBrightness: 130, maxBrightness: 255, minSizePx: 0, minScore: 0 })).toEqual(['dark']);
  });
});
