import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';

/** face-api.js FaceExpressionNet output order: @vladmandic/face-api src/faceExpressionNet/FaceExpressions.ts. */
export const FACE_API_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;

/**
 * Human's emotion model output order for its 1-channel (oarriaga mini-Xception) model:
 * @vladmandic/human src/gear/emotion.ts, `annotations` when the input has one channel.
 */
export const HUMAN_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;

/** Every peer's label word for a canonical class. */
const PEER_WORDS: Readonly<Record<string, Emotion>> = {
  neutral: 'neutral',
  happy: 'happy',
  surprise: 'surprise',
  surprised: 'surprise',
  sad: 'sad',
  angry: 'anger',
  anger: 'anger',
  disgust: 'disgust',
  disgusted: 'disgust',
  fear: 'fear',
  fearful: 'fear',
  contempt: 'contempt',
};

/**
 * A model's output labels as canonical classes, in output order. `source` names the model in errors: an
 * unknown word or a class given twice means the label table no longer matches the model.
 */
export function toEmotions(labels: readonly string[], source: string): Emotion[] {
  const out: Emotion[] = [];
  labels.forEach((word, i) => {
    const e = PEER_WORDS[word.toLowerCase()];
    if (!e) throw new Error(`${source}: output ${i} has label "${word}", which is none of ${EMOTIONS.join(', ')} (or a known synonym)`);
    if (out.includes(e)) throw new Error(`${source}: outputs ${out.indexOf(e)} and ${i} both mean "${e}"`);
    out.push(e);
  });
  return out;
}
