/**
 * Human's emotion model as shipped by @vladmandic/human (`models/emotion.json`, oarriaga's mini-Xception, a
 * TF.js graph model), loaded into this process's tfjs. Preprocessing after the package's src/gear/emotion.ts
 * (gray-input branch, the default config has no `crop`): the face tensor (RGB 0..1, src/face/facemeshutil.ts
 * divides crops by 255) resizeBilinear to the model's input size (alignCorners false), gray = RGB . (0.2989,
 * 0.5870, 0.1140) (src/tfjs/constants.ts), (gray - 0.5) * 2; the output is already a softmax.
 */
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { fileLoadHandler } from '../util/fs-io.ts';
import { HUMAN_LABELS, toEmotions } from './labels.ts';
import { HUMAN_PACKAGE, installedPackage } from './packages.ts';
import { rgbBatch } from './rgb-tensor.ts';
import type { EmotionClassifier } from './types.ts';

const GRAY_WEIGHTS = [0.2989, 0.587, 0.114] as const;

/** Human's emotion model from `<repoRoot>/node_modules/@vladmandic/human/models/emotion.json`. */
export async function loadHumanEmotion(repoRoot: string): Promise<EmotionClassifier> {
  const pkg = await installedPackage(repoRoot, HUMAN_PACKAGE);
  const dir = path.join(pkg.dir, 'models');
  const file = path.join(dir, 'emotion.json');
  const model = await tf.loadGraphModel(fileLoadHandler(dir, 'emotion.json'));
  const shape = model.inputs[0]?.shape;
  const size = shape?.[2];
  // A 3-channel input would be Human's AffectNet variant, with another label order and normalisation.
  if (shape?.length !== 4 || shape[3] !== 1 || size === undefined || size <= 0 || shape[1] !== size) {
    model.dispose();
    throw new Error(`${file}: expected a [batch, n, n, 1] gray input, the model has ${JSON.stringify(shape)}`);
  }
  const weights = tf.tensor1d([...GRAY_WEIGHTS]);
  return {
    name: 'human',
    source: `${HUMAN_PACKAGE}@${pkg.version} models/emotion.json (oarriaga mini-Xception)`,
    preprocessing: `RGB 0..1 (gray repeated), resizeBilinear to ${size}x${size} (alignCorners false), gray = 0.2989 R + 0.5870 G + 0.1140 B, (gray - 0.5) * 2 (src/gear/emotion.ts)`,
    labels: toEmotions(HUMAN_LABELS, file),
    classify(image: RawImage): Float32Array {
      const rgb = rgbBatch(image);
      const probs = tf.tidy(() => {
        const resized = tf.image.resizeBilinear(tf.div<tf.Tensor4D>(rgb, 255), [size, size], false);
        const gray = tf.sum(tf.mul(resized, weights), 3, true);
        return model.execute(tf.mul(tf.sub(gray, 0.5), 2)) as tf.Tensor;
      });
      rgb.dispose();
      const out = probs.dataSync() as Float32Array;
      probs.dispose();
      if (out.length !== HUMAN_LABELS.length) throw new Error(`${file}: ${out.length} outputs, expected ${HUMAN_LABELS.length}`);
      return out;
    },
    dispose(): void {
      weights.dispose();
      model.dispose();
    },
  };
}
