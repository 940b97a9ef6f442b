import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '../backend/tf.ts';
import { buildEfficientCnn, featureExtractor } from './efficient-cnn.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Parameters of the default 48x48 model with both heads (conv layers have no bias; a BatchNorm has 4 per channel):
//   input BN 4
//   convs 3x3: 1x24 = 216, 24x48 = 10,368, 48x96 = 41,472, 96x192 = 165,888      = 217,944
//   their BNs: 4 x (24 + 48 + 96 + 192)                                           =   1,440
//   features: 192 x 300 + 300                                                     =  57,900
//   va: 300 x 2 + 2 = 602; classes: 300 x 8 + 8 = 2,408
//   total 4 + 217,944 + 1,440 + 57,900 + 602 + 2,408                              = 280,298
const DEFAULT_PARAMS = 4 + 217_944 + 1_440 + 57_900 + 602 + 2_408;

describe('efficient CNN', () => {
  const models: tf.LayersModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));
  const build = (...args: Parameters<typeof buildEfficientCnn>) => {
    const m = buildEfficientCnn(...args);
    models.push(m);
    return m;
  };

  test('default: 48x48x1 input, 280,298 parameters, heads va (2) and classes (8)', () => {
    const m = build();
    expect(DEFAULT_PARAMS).toBe(280_298);
    expect(m.countParams()).toBe(DEFAULT_PARAMS);
    expect(m.inputs[0]?.shape).toEqual([null, 48, 48, 1]);
    expect(m.outputNames).toEqual(['va', 'classes']);
    expect(m.getLayer('features').outputShape).toEqual([null, 300]);
    expect(m.getLayer('b4_conv1_relu').outputShape).toEqual([null, 6, 6, 192]);
    const x = tf.randomUniform([2, 48, 48, 1]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [va, classes] = m.predict(x) as tf.Tensor[];
      expect(va?.shape).toEqual([2, 2]);
      expect(classes?.shape).toEqual([2, 8]);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('input size and blocks are configurable', () => {
    const m = build({
      inputSize: 64,
      heads: 'va',
      blocks: [
        { filters: 8, convs: 2 },
        { filters: 16, convs: 1 },
      ],
    });
    expect(m.getLayer('b2_conv1_relu').outputShape).toEqual([null, 32, 32, 16]);
    expect(m.outputNames).toEqual(['va']);
    expect(() =>
      buildEfficientCnn({
        inputSize: 4,
        blocks: [
          { filters: 8, convs: 1 },
          { filters: 8, convs: 1 },
          { filters: 8, convs: 1 },
          { filters: 8, convs: 1 },
        ],
      }),
    ).toThrow(/inputSize 4 must be an integer >= 8 for 4 blocks/);
  });

  test('the feature extractor shares the weights of the model', () => {
    const m = build({ heads: 'classes' });
    const fx = featureExtractor(m);
    const layer = m.getLayer('features');
    const [kernel, bias] = layer.getWeights();
    layer.setWeights([tf.zerosLike(kernel as tf.Tensor), tf.onesLike(bias as tf.Tensor)]);
    const x = tf.randomUniform([1, 48, 48, 1]);
    const out = fx.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([1, 300]);
    expect(Array.from(out.dataSync()).every((v) => v === 1)).toBe(true);
    // getWeights returns the variables' own tensors: the model disposes them.
    tf.dispose([x, out]);
  });
});
