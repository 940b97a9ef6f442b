import { describe, expect, test } from 'vitest';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { FACE_API_LABELS, HUMAN_LABELS, toEmotions } from './labels.ts';
import { sharedClasses } from './shared-classes.ts';

const CKPLUS48: Emotion[] = ['anger', 'contempt', 'disgust', 'fear', 'happy', 'sad', 'surprise'];
const faceApi = toEmotions(FACE_API_LABELS, 'face-api');
const human = toEmotions(HUMAN_LABELS, 'human');

describe('sharedClasses', () => {
  test("one model: the dataset's classes that model has", () => {
    expect(sharedClasses(CKPLUS48, EMOTIONS)).toEqual(['happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt']);
    expect(sharedClasses(CKPLUS48, faceApi)).toEqual(['happy', 'surprise', 'sad', 'anger', 'disgust', 'fear']);
  });

  test('all models on CK+48: the six classes without neutral and contempt', () => {
    expect(sharedClasses(CKPLUS48, EMOTIONS, faceApi, human)).toEqual(['happy', 'surprise', 'sad', 'anger', 'disgust', 'fear']);
  });

  test('all models on FER+: seven classes, contempt dropped', () => {
    expect(sharedClasses(EMOTIONS, EMOTIONS, faceApi, human)).toEqual(EMOTIONS.filter((e) => e !== 'contempt'));
  });

  test('duplicates in the dataset classes do not matter; no model means the dataset classes', () => {
    expect(sharedClasses(['sad', 'happy', 'sad'])).toEqual(['happy', 'sad']);
  });
});
