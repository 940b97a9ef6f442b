import { describe, expect, test } from 'vitest';
import type { Emotion } from '../../src/core/emotions.ts';
import { scoreRestricted } from './score.ts';

// Model output order: neutral, happy, sad.
const LABELS: Emotion[] = ['neutral', 'happy', 'sad'];

describe('scoreRestricted', () => {
  const truth: Emotion[] = ['happy', 'sad', 'sad', 'contempt'];
  const scores = [
    [0.9, 0.1, 0], // neutral best; restricted to happy/sad -> happy (right)
    [0.2, 0.5, 0.3], // happy (wrong)
    [0.1, 0.2, 0.7], // sad (right)
    [1, 0, 0], // contempt: not scored
  ];

  test('scores only images of the given classes, with the argmax over those classes', () => {
    const s = scoreRestricted(truth, scores, LABELS, ['sad', 'happy']);
    expect(s.classes).toEqual(['happy', 'sad']);
    expect(s.images).toBe(3);
    expect(s.accuracy).toBeCloseTo(2 / 3, 12);
    // happy: tp 1, support 1, predicted 2 -> F1 2/3; sad: tp 1, support 2, predicted 1 -> F1 2/3.
    expect(s.macroF1).toBeCloseTo(2 / 3, 12);
  });

  test('with neutral allowed the first image becomes a miss', () => {
    const s = scoreRestricted(truth, scores, LABELS, ['neutral', 'happy', 'sad']);
    expect(s.accuracy).toBeCloseTo(1 / 3, 12);
  });

  test('refuses classes the model lacks, mismatched lengths and an empty selection', () => {
    expect(() => scoreRestricted(truth, scores, LABELS, ['happy', 'contempt'])).toThrow(/no output for contempt/);
    expect(() => scoreRestricted(truth, scores.slice(1), LABELS, ['happy'])).toThrow(/4 labels but 3 score rows/);
    expect(() => scoreRestricted(['contempt'], [[1, 0, 0]], LABELS, ['happy'])).toThrow(/no image is labelled/);
  });
});
