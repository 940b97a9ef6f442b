/**
 * A layers model's weight bytes (weights.bin, as model.json's weightsManifest describes them) as float32 arrays by
 * name, without tfjs-core: what tf.io.decodeWeights gives, for the float32 weights the app's models have, stored
 * plain or quantized (float16, or uint8/uint16 with scale and min, dequantized as q * scale + min, as TF.js does).
 * Used where the model runs without TF.js (the streaming GRU, the CNN on the wasm kernels); layers-weights.test.ts
 * holds it to tf.io.decodeWeights.
 */
import { widenFloat16 } from './float16.ts';

/** One entry of a weightsManifest group (TF.js's io.WeightsManifestEntry, the parts read here). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

export interface WeightArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const BYTES: Readonly<Record<string, number>> = { float16: 2, uint8: 1, uint16: 2 };

function bytesPerValue(spec: WeightSpec): number {
  if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name} is ${spec.dtype}; the app runs float32 weights only`);
  const q = spec.quantization;
  if (!q) return 4;
  const bytes = BYTES[q.dtype];
  if (bytes === undefined) throw new Error(`weight ${spec.name} is quantized as ${q.dtype} (float16, uint8 or uint16 are read)`);
  if (q.dtype !== 'float16' && (typeof q.scale !== 'number' || typeof q.min !== 'number'))
    throw new Error(`weight ${spec.name} is quantized as ${q.dtype} without its scale and min`);
  return bytes;
}

function decodeOne(spec: WeightSpec, bytes: Uint8Array): Float32Array {
  const q = spec.quantization;
  if (!q) return new Float32Array(bytes.slice().buffer);
  if (q.dtype === 'float16') return widenFloat16(bytes);
  const quantized = q.dtype === 'uint8' ? bytes : new Uint16Array(bytes.slice().buffer);
  const scale = q.scale!;
  const min = q.min!;
  return Float32Array.from(quantized, (v) => v * scale + min);
}

/** The weights in `data` by name, in `specs` order; throws on a dtype it cannot read or bytes that do not add up. */
export function decodeWeightArrays(data: Uint8Array, specs: readonly WeightSpec[]): Map<string, WeightArray> {
  const out = new Map<string, WeightArray>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const size = count * bytesPerValue(spec);
    if (offset + size > data.byteLength)
      throw new Error(`the weights end after ${data.byteLength} bytes; weight ${spec.name} needs bytes ${offset}..${offset + size}`);
    out.set(spec.name, { shape: spec.shape, values: decodeOne(spec, data.subarray(offset, offset + size)) });
    offset += size;
  }
  if (offset !== data.byteLength) throw new Error(`the weights are ${data.byteLength} bytes; their manifest describes ${offset}`);
  return out;
}
