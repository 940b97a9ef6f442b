import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { featureExtractor } from './heads.ts';
import { buildPaperCnn, paperCnnFinalMapSize, quadrantPoolSize } from './paper-cnn.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Parameters of the 96x96 'va' model:
//   input BatchNorm (1 channel): gamma, beta, moving mean, moving variance      =         4
//   conv1 5x5x1x64 + 64                                                         =     1,664
//   conv2 5x5x64x128 + 128                                                      =   204,928
//   conv3 5x5x128x256 + 256                                                     =   819,456
//   features: quadrant pooling gives 2x2x256 = 1024 inputs, 1024x300 + 300      =   307,500
//   va: 300x2 + 2                                                               =       602
//   total                                                                       = 1,334,154  (the paper's "about 1.33 M")
// A softmax head of 8 adds 300x8 + 8 = 2,408. The count does not depend on the input size: quadrant pooling
// always leaves 2x2x256.
const VA_PARAMS = 4 + 1_664 + 204_928 + 819_456 + 307_500 + 602;
const CLASS8_HEAD = 300 * 8 + 8;

describe('paper CNN', () => {
  const models: tf.LayersModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));
  const build = (...args: Parameters<typeof buildPaperCnn>) => {
    const m = buildPaperCnn(...args);
    models.push(m);
    return m;
  };

  test('96x96 has the paper layer list and 1,334,154 parameters', () => {
    const m = build({ heads: 'va' });
    expect(VA_PARAMS).toBe(1_334_154);
    expect(m.countParams()).toBe(VA_PARAMS);
    expect(m.layers.map((l) => l.name)).toEqual([
      'image',
      'input_bn',
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'conv3',
      'quadrant_pool',
      'flatten',
      'features',
      'features_dropout',
      'va',
    ]);
    expect(m.getLayer('conv3').outputShape).toEqual([null, 18, 18, 256]);
    expect(m.getLayer('quadrant_pool').outputShape).toEqual([null, 2, 2, 256]);
    expect(m.getLayer('features').outputShape).toEqual([null, 300]);
    expect(m.outputNames).toEqual(['va']);
  });

  test('quadrant pooling window follows the input size', () => {
    expect(paperCnnFinalMapSize(96)).toBe(18);
    expect(quadrantPoolSize(96)).toBe(9);
    expect(quadrantPoolSize(48)).toBe(3);
    expect(quadrantPoolSize(64)).toBe(5);
    expect(() => quadrantPoolSize(30)).toThrow(/inputSize 30 is too small/);
  });

  test('both heads at 48x48: output shapes, parameter count, and a leak-free forward pass', () => {
    const m = build({ inputSize: 48, heads: 'both' });
    expect(m.countParams()).toBe(VA_PARAMS + CLASS8_HEAD);
    expect(m.outputNames).toEqual(['va', 'classes']);
    const x = tf.randomUniform([2, 48, 48, 1]);
    const before = tf.memory().numTensors;
    const sums = tf.tidy(() => {
      const [va, classes] = m.predict(x) as tf.Tensor[];
      expect(va?.shape).toEqual([2, 2]);
      expect(classes?.shape).toEqual([2, 8]);
      return Array.from(tf.sum(classes as tf.Tensor, 1).dataSync());
    });
    expect(tf.memory().numTensors).toBe(before);
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    x.dispose();
  });

  test('a classes-only head of N classes, and the feature extractor gives 300-d vectors', () => {
    const m = build({ inputSize: 48, heads: 'classes', numClasses: 7 });
    expect(m.countParams()).toBe(VA_PARAMS - 602 + 300 * 7 + 7);
    const fx = featureExtractor(m);
    const x = tf.randomUniform([3, 48, 48, 1]);
    const out = fx.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([3, 300]);
    tf.dispose([x, out]);
  });
});
