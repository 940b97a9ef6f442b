import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';

/**
 * The classes that the dataset has and every given model can answer, in canonical (EMOTIONS) order. With one
 * model: that model's own classes on the dataset; with all of them: the classes of a like-for-like comparison.
 */
export function sharedClasses(datasetClasses: Iterable<Emotion>, ...modelLabels: (readonly Emotion[])[]): Emotion[] {
  const present = new Set(datasetClasses);
  return EMOTIONS.filter((e) => present.has(e) && modelLabels.every((labels) => labels.includes(e)));
}
