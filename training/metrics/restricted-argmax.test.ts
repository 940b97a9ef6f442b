import { describe, expect, test } from 'vitest';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { restrictedArgmax } from './restricted-argmax.ts';

const LABELS: Emotion[] = ['neutral', 'happy', 'sad', 'anger'];

describe('restrictedArgmax', () => {
  test('is the plain argmax when every class is allowed', () => {
    expect(restrictedArgmax([0.1, 0.2, 0.6, 0.1], LABELS, new Set(LABELS))).toBe('sad');
  });

  test('skips the best class when it is not allowed', () => {
    expect(restrictedArgmax([0.7, 0.1, 0.15, 0.05], LABELS, new Set<Emotion>(['happy', 'sad', 'anger']))).toBe('sad');
  });

  test('ignores allowed classes the model does not have', () => {
    expect(restrictedArgmax([0.7, 0.1, 0.15, 0.05], LABELS, new Set<Emotion>(['contempt', 'happy']))).toBe('happy');
  });

  test("a tie goes to the earlier output, whatever the model's output order", () => {
    expect(restrictedArgmax([0.5, 0.5, 0, 0], LABELS, new Set(LABELS))).toBe('neutral');
    expect(restrictedArgmax([0, 0.5, 0.5], ['neutral', 'anger', 'happy'], new Set<Emotion>(['anger', 'happy']))).toBe('anger');
  });

  test('on outputs in EMOTIONS order, ignores classes outside the allowed set', () => {
    const probs = EMOTIONS.map((e) => (e === 'neutral' ? 0.6 : e === 'sad' ? 0.3 : 0.1 / 6));
    expect(restrictedArgmax(probs, EMOTIONS, new Set<Emotion>(['happy', 'sad']))).toBe('sad');
    expect(restrictedArgmax(probs, EMOTIONS, new Set(EMOTIONS))).toBe('neutral');
  });

  test('fails when no model class is allowed, or on a shape mismatch or NaN', () => {
    expect(() => restrictedArgmax([1, 0, 0, 0], LABELS, new Set<Emotion>(['contempt']))).toThrow(/none of the model's classes/);
    expect(() => restrictedArgmax([1, 0], LABELS, new Set(LABELS))).toThrow(/2 scores for 4 labels/);
    expect(() => restrictedArgmax([NaN, 0, 0, 0], LABELS, new Set(LABELS))).toThrow(/NaN/);
  });
});
