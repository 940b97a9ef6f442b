import { describe, expect, test } from 'vitest';
import { circumplexPoint } from '../../src/core/emotions.ts';
import { derivedVa, ferPlusMajority, oneHot, voteDistribution } from './targets.ts';

// Columns: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF.
describe('ferPlusMajority', () => {
  test('a class with more than half of the votes wins', () => {
    expect(ferPlusMajority([4, 0, 0, 1, 3, 2, 0, 0, 0, 0])).toBeUndefined(); // 4 of 10 (9 after outliers): no majority
    expect(ferPlusMajority([6, 0, 1, 1, 0, 0, 0, 0, 2, 0])).toBe('neutral'); // 6 of 8 after single votes are dropped
    expect(ferPlusMajority([0, 0, 0, 0, 2, 1, 0, 7, 0, 0])).toBe('contempt');
  });
  test('single votes are outliers: 5 of 10 wins once the single votes are gone', () => {
    expect(ferPlusMajority([5, 1, 1, 1, 2, 0, 0, 0, 0, 0])).toBe('neutral');
    expect(ferPlusMajority([5, 0, 0, 0, 5, 0, 0, 0, 0, 0])).toBeUndefined(); // tie
  });
  test('unknown or not-a-face majorities give no label', () => {
    expect(ferPlusMajority([1, 0, 0, 0, 0, 0, 0, 0, 8, 1])).toBeUndefined();
    expect(ferPlusMajority([0, 0, 0, 0, 0, 0, 0, 0, 0, 10])).toBeUndefined();
  });
  test('rejects a row of the wrong width', () => {
    expect(() => ferPlusMajority([1, 2, 3])).toThrow(/expected 10 votes/);
  });
});

describe('voteDistribution and derived valence/arousal', () => {
  test('drops unknown and NF, normalises the rest', () => {
    const p = voteDistribution([3, 1, 0, 0, 0, 0, 0, 0, 4, 2]);
    expect(Array.from(p ?? [])).toEqual([0.75, 0.25, 0, 0, 0, 0, 0, 0]);
    expect(voteDistribution([0, 0, 0, 0, 0, 0, 0, 0, 3, 7])).toBeUndefined();
  });
  test('one-hot VA is the class point; mixtures interpolate', () => {
    expect(derivedVa(oneHot('happy'))).toEqual(circumplexPoint('happy'));
    const mix = derivedVa(Float32Array.from([0.5, 0.5, 0, 0, 0, 0, 0, 0]));
    expect(mix.valence).toBeCloseTo(circumplexPoint('happy').valence / 2, 6);
    expect(mix.arousal).toBeCloseTo(circumplexPoint('happy').arousal / 2, 6);
  });
});
