/**
 * The emotion taxonomy shared by the app and training: one canonical class order (FER+'s), the mappings
 * from every dataset's own codes, and each category's position on the valence/arousal circumplex.
 */

/** Canonical class order: the FER+ vote columns without "unknown" and "not a face". */
export const EMOTIONS = ['neutral', 'happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export function isEmotion(value: string): value is Emotion {
  return (EMOTIONS as readonly string[]).includes(value);
}

export function emotionIndex(e: Emotion): number {
  return EMOTIONS.indexOf(e);
}

/** FER+ `label.csv` vote columns, in file order (after image name and face box). */
export const FERPLUS_VOTE_COLUMNS = [
  'neutral',
  'happiness',
  'surprise',
  'sadness',
  'anger',
  'disgust',
  'fear',
  'contempt',
  'unknown',
  'NF',
] as const;

/** Original FER2013 `emotion` codes 0..6 (fer2013.csv). */
export const FER2013_CODES: readonly Emotion[] = ['anger', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

/** CK+ Emotion/*.txt codes 0..7. */
export const CKPLUS_CODES: readonly Emotion[] = ['neutral', 'anger', 'contempt', 'disgust', 'fear', 'happy', 'sad', 'surprise'];

/** Folder names used by CK+48 / Kaggle-style ImageFolder datasets. */
export const FOLDER_NAMES: Readonly<Record<string, Emotion>> = {
  neutral: 'neutral',
  happy: 'happy',
  happiness: 'happy',
  surprise: 'surprise',
  sad: 'sad',
  sadness: 'sad',
  anger: 'anger',
  angry: 'anger',
  disgust: 'disgust',
  fear: 'fear',
  contempt: 'contempt',
};

/** JAFFE file-name expression codes (`KA.AN1.39.tiff`). */
export const JAFFE_CODES: Readonly<Record<string, Emotion>> = {
  AN: 'anger',
  DI: 'disgust',
  FE: 'fear',
  HA: 'happy',
  NE: 'neutral',
  SA: 'sad',
  SU: 'surprise',
};

/**
 * Circumplex angle (degrees, counter-clockwise from +valence) of each category.
 * Source: Russell, J. A. (1980), "A circumplex model of affect", J. Pers. Soc. Psychol. 39(6):1161-1178,
 * direct circular scaling of 28 affect words: happy 7.8, astonished 69.8 (surprise), angry 99.0,
 * afraid 116.9, sad 207.5. Disgust and contempt are not among Russell's 28 words; they are placed in the
 * negative-valence, moderately-activated sector where Scherer's Geneva Emotion Wheel puts them
 * (Scherer, K. R. (2005), "What are emotions? And how can they be measured?", Soc. Sci. Inf. 44(4):695-729,
 * Fig. 2): disgust 150, contempt 165. These two are an approximation, stated as such in the model card.
 * Neutral is the origin.
 */
export const CIRCUMPLEX_ANGLE_DEG: Readonly<Record<Exclude<Emotion, 'neutral'>, number>> = {
  happy: 7.8,
  surprise: 69.8,
  anger: 99.0,
  fear: 116.9,
  disgust: 150.0,
  contempt: 165.0,
  sad: 207.5,
};

export interface ValenceArousal {
  valence: number;
  arousal: number;
}

/** Unit-circle position of a category (neutral at the origin). */
export function circumplexPoint(e: Emotion): ValenceArousal {
  if (e === 'neutral') return { valence: 0, arousal: 0 };
  const rad = (CIRCUMPLEX_ANGLE_DEG[e] * Math.PI) / 180;
  return { valence: Math.cos(rad), arousal: Math.sin(rad) };
}

/**
 * Expected valence/arousal under a distribution over the canonical classes (e.g. normalised FER+ votes).
 * `probs` has one entry per EMOTIONS class; it is renormalised, and an all-zero input gives the origin.
 */
export function expectedValenceArousal(probs: ArrayLike<number>): ValenceArousal {
  if (probs.length !== EMOTIONS.length) {
    throw new Error(`expectedValenceArousal: expected ${EMOTIONS.length} probabilities, got ${probs.length}`);
  }
  let total = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i] ?? 0;
  if (total <= 0) return { valence: 0, arousal: 0 };
  let valence = 0;
  let arousal = 0;
  EMOTIONS.forEach((e, i) => {
    const p = (probs[i] ?? 0) / total;
    const pt = circumplexPoint(e);
    valence += p * pt.valence;
    arousal += p * pt.arousal;
  });
  return { valence, arousal };
}
