import * as tf from '../backend/tf.ts';
import type { RawImage } from '../../src/core/preprocess.ts';

/**
 * [1, height, width, 3] float32 RGB, values 0..255: what tf.browser.fromPixels gives the peers for an image,
 * a gray image's value repeated in the three channels (as a browser decodes a gray PNG), alpha dropped.
 */
export function rgbBatch(image: RawImage): tf.Tensor4D {
  const { width, height, channels, data } = image;
  const n = width * height;
  if (data.length < n * channels)
    throw new Error(`rgbBatch: image data has ${data.length} values, expected ${n * channels} (${width}x${height}x${channels})`);
  const rgb = new Float32Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    const r = data[j] ?? 0;
    rgb[3 * i] = r;
    rgb[3 * i + 1] = channels === 1 ? r : (data[j + 1] ?? 0);
    rgb[3 * i + 2] = channels === 1 ? r : (data[j + 2] ?? 0);
  }
  return tf.tensor4d(rgb, [1, height, width, 3]);
}
