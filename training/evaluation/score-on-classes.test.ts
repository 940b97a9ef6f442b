import { expect, test } from 'vitest';
import { EMOTIONS, emotionIndex, type Emotion } from '../../src/core/emotions.ts';
import { scoreOnClasses } from './score-on-classes.ts';

const CK: Emotion[] = ['happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt'];

function row(scores: Partial<Record<Emotion, number>>): number[] {
  return EMOTIONS.map((e) => scores[e] ?? 0);
}

test('predictions are the argmax over the dataset classes: a neutral answer falls to the runner-up', () => {
  const labels = [emotionIndex('happy'), emotionIndex('sad'), emotionIndex('anger'), emotionIndex('anger')];
  const probs = [
    row({ neutral: 0.6, happy: 0.3, sad: 0.1 }), // right once neutral is excluded
    row({ neutral: 0.5, anger: 0.3, sad: 0.2 }), // wrong: anger beats sad
    row({ anger: 0.9 }),
    row({ disgust: 0.7, anger: 0.3 }),
  ];
  const s = scoreOnClasses(labels, probs, CK);
  expect(s.images).toBe(4);
  expect(s.accuracy).toBe(0.5);
  // Rows/columns in CK order: happy 0, sad 2, anger 3, disgust 4.
  expect(s.confusion[0]?.[0]).toBe(1);
  expect(s.confusion[2]?.[3]).toBe(1);
  expect(s.confusion[3]?.[3]).toBe(1);
  expect(s.confusion[3]?.[4]).toBe(1);
  expect(s.confusion.flat().reduce((a, b) => a + b, 0)).toBe(4);
  // F1: happy 1, sad 0, anger 2*1/(2+2)=0.5, disgust 0 (predicted, never true): mean over 4 classes.
  expect(s.macroF1).toBeCloseTo((1 + 0 + 0.5 + 0) / 4, 12);
});

test('unlabelled rows are skipped; a label outside the classes or a missing row is an error', () => {
  expect(scoreOnClasses([-1, emotionIndex('fear')], [row({}), row({ fear: 1 })], CK).images).toBe(1);
  expect(() => scoreOnClasses([emotionIndex('neutral')], [row({ neutral: 1 })], CK)).toThrow(/label neutral of row 0 is not one of happy/);
  expect(() => scoreOnClasses([1, 2], [row({})], CK)).toThrow(/2 labels but 1 output rows/);
});
