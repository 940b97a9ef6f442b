import { describe, expect, test } from 'vitest';
import { FACE_API_LABELS, HUMAN_LABELS, toEmotions } from './labels.ts';

describe('toEmotions', () => {
  test("maps face-api's output order to canonical classes", () => {
    expect(toEmotions(FACE_API_LABELS, 'face-api')).toEqual(['neutral', 'happy', 'sad', 'anger', 'fear', 'disgust', 'surprise']);
  });

  test("maps Human's output order to canonical classes", () => {
    expect(toEmotions(HUMAN_LABELS, 'human')).toEqual(['anger', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
  });

  test('keeps canonical names and ignores case', () => {
    expect(toEmotions(['Contempt', 'NEUTRAL'], 'ours')).toEqual(['contempt', 'neutral']);
  });

  test('an unknown word names the model and the output', () => {
    expect(() => toEmotions(['happy', 'bored'], 'peer.json')).toThrow(/peer\.json: output 1 has label "bored"/);
  });

  test('two words for one class are an error', () => {
    expect(() => toEmotions(['angry', 'anger'], 'peer.json')).toThrow(/outputs 0 and 1 both mean "anger"/);
  });
});
