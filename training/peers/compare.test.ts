import { describe, expect, test } from 'vitest';
import type { Emotion } from '../../src/core/emotions.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { compareModels, quantile, spread } from './compare.ts';
import { formatTable } from './format-table.ts';
import type { EmotionClassifier } from './types.ts';

// Each image is one pixel whose value says which class it shows: 0 happy, 1 sad, 2 neutral.
const CLASS_OF_PIXEL: Emotion[] = ['happy', 'sad', 'neutral'];
function dataset(name: string, pixels: number[], labels: Emotion[]): Dataset {
  const samples: Sample[] = pixels.map((p, i) => ({ id: `${i}`, source: `img-${p}-${i % 2}`, label: labels[i] }));
  return { name, samples, loadImage: async (s) => ({ data: [Number(s.source.split('-')[1])], width: 1, height: 1, channels: 1 }) };
}

/** A model that sees the class in the pixel, but puts most mass on `bias` when it has that class. */
function model(name: string, labels: Emotion[], bias?: Emotion): EmotionClassifier & { calls: number } {
  return {
    name,
    source: 'test',
    preprocessing: 'none',
    labels,
    calls: 0,
    classify(image: RawImage): Float32Array {
      this.calls++;
      const seen = CLASS_OF_PIXEL[image.data[0] ?? 0];
      return Float32Array.from(labels, (l) => (l === bias ? 0.6 : l === seen ? 0.3 : 0.1 / labels.length));
    },
    dispose: () => undefined,
  };
}

describe('compareModels', () => {
  const a = dataset('a', [0, 1, 2, 0], ['happy', 'sad', 'neutral', 'happy']);
  const b = dataset('b', [0, 1], ['happy', 'sad']);

  test('classifies each image once per model and scores own and common classes', async () => {
    const seer = model('seer', ['happy', 'sad', 'neutral']);
    const biased = model('biased', ['happy', 'sad', 'neutral'], 'neutral');
    const noNeutral = model('no-neutral', ['sad', 'happy']);
    const c = await compareModels([seer, biased, noNeutral], [a, b], { warmup: 0 });
    // a has sources img-0-0, img-1-1, img-2-0, img-0-1; b's img-0-0, img-1-1 are the same files.
    expect(seer.calls).toBe(4);
    const [ra, rb] = c.datasets;
    expect(ra?.commonClasses).toEqual(['happy', 'sad']);
    expect(ra?.results.seer?.own).toMatchObject({ images: 4, accuracy: 1, macroF1: 1 });
    expect(ra?.results.biased?.own).toMatchObject({ images: 4, accuracy: 0.25 });
    // Without neutral the bias has no effect: the argmax over happy/sad is the pixel's class.
    expect(ra?.results.biased?.common).toMatchObject({ classes: ['happy', 'sad'], images: 3, accuracy: 1 });
    expect(ra?.results['no-neutral']?.own.classes).toEqual(['happy', 'sad']);
    expect(rb?.images).toBe(2);
    expect(rb?.classCounts).toEqual({ happy: 1, sad: 1 });
    expect(c.timing.seer?.faces).toBe(4);
    expect(formatTable(c)).toContain('| a | biased | 3 / 4 | 25.0% |');
  });

  test('limit takes images spread through each dataset', async () => {
    const seer = model('seer', ['happy', 'sad', 'neutral']);
    const c = await compareModels([seer], [a], { limit: 2, warmup: 0 });
    expect(c.datasets[0]?.images).toBe(2);
    expect(c.datasets[0]?.classCounts).toEqual({ happy: 1, neutral: 1 });
    expect(seer.calls).toBe(2);
  });

  test('two models with one name are refused', async () => {
    await expect(compareModels([model('x', ['happy']), model('x', ['sad'])], [a])).rejects.toThrow(/must differ/);
  });
});

describe('spread', () => {
  test('every k-th item, all when n is not smaller', () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([0, 3, 6]);
    expect(spread([1, 2], 5)).toEqual([1, 2]);
    expect(spread([1, 2], Infinity)).toEqual([1, 2]);
  });
});

describe('quantile', () => {
  test('nearest rank', () => {
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(() => quantile([], 0.5)).toThrow(/no values/);
  });
});
