/**
 * Weight quantization in the TF.js weights-manifest format, so that `tf.loadLayersModel` in the app
 * dequantizes on load: float16 (IEEE half) or uint8 (affine: value = q * scale + min, per tensor),
 * as tfjs-converter writes them.
 */
import type * as tf from '../backend/tf.ts';

export type Quantization = 'float32' | 'float16' | 'uint8';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Float32 -> IEEE 754 half, round to nearest even, with subnormals, inf and NaN. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export interface QuantizedWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: Uint8Array;
}

/** Encodes named float32 tensors' values with the requested quantization. */
export function quantizeWeights(
  weights: readonly { name: string; shape: number[]; values: Float32Array }[],
  mode: Quantization,
): QuantizedWeights {
  const chunks: Uint8Array[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const w of weights) {
    if (mode === 'float32') {
      chunks.push(new Uint8Array(w.values.buffer.slice(w.values.byteOffset, w.values.byteOffset + w.values.byteLength)));
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32' });
    } else if (mode === 'float16') {
      const h = new Uint16Array(w.values.length);
      for (let i = 0; i < h.length; i++) h[i] = toHalf(w.values[i] ?? 0);
      chunks.push(new Uint8Array(h.buffer));
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'float16' } });
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of w.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (!Number.isFinite(min)) min = max = 0;
      const scale = max > min ? (max - min) / 255 : 1;
      const q = new Uint8Array(w.values.length);
      for (let i = 0; i < q.length; i++) q[i] = Math.round(((w.values[i] ?? 0) - min) / scale);
      chunks.push(q);
      specs.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'uint8', min, scale } });
    }
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.byteLength;
  }
  return { specs, data };
}
