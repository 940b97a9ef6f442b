/**
 * Float16 -> float32 widening for model weights (the face detector's .tflite, the layers models' float16-quantized
 * weights): the platform's Float16Array where there is one (Chromium 135+, Firefox 129+, Safari 18.2+), a plain loop
 * elsewhere (Node 20). The loop runs once per value at start-up, before the JIT has it: the native path saves tens of
 * milliseconds there.
 */

type Float16ArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayLike<number>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The platform's Float16Array, usable on little-endian bytes; undefined where there is none. */
function nativeFloat16(): Float16ArrayConstructor | undefined {
  return LITTLE_ENDIAN ? (globalThis as { Float16Array?: Float16ArrayConstructor }).Float16Array : undefined;
}

export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Whether widenFloat16Natively can widen here. */
export function hasNativeFloat16(): boolean {
  return nativeFloat16() !== undefined;
}

/** Little-endian float16 `bytes` as float32, natively; undefined where the platform has no Float16Array. */
export function widenFloat16Natively(bytes: Uint8Array): Float32Array | undefined {
  const Float16 = nativeFloat16();
  if (!Float16) return undefined;
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Float32Array(new Float16(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / 2));
}

/** Little-endian float16 `bytes` as float32. */
export function widenFloat16(bytes: Uint8Array): Float32Array {
  const native = widenFloat16Natively(bytes);
  if (native) return native;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 2);
  for (let i = 0; i < out.length; i++) out[i] = float16ToFloat32(view.getUint16(2 * i, true));
  return out;
}
