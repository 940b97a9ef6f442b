import { afterEach, describe, expect, it, vi } from 'vitest';
import { float16ToFloat32, widenFloat16, widenFloat16Natively } from './float16.ts';
import { Float16ArrayStandIn } from './test-float16.ts';

/** Little-endian bytes of these float16 bit patterns, `offset` bytes into a larger buffer. */
function halves(bits: readonly number[], offset = 0): Uint8Array {
  const bytes = new Uint8Array(offset + 2 * bits.length);
  const view = new DataView(bytes.buffer);
  bits.forEach((b, i) => view.setUint16(offset + 2 * i, b, true));
  return bytes.subarray(offset);
}

describe('float16ToFloat32', () => {
  it('widens zeros, subnormals, normals, the largest value, infinities and NaN', () => {
    expect([0x0000, 0x8000, 0x0001, 0x3c00, 0xc000, 0x3555, 0x7bff, 0x7c00, 0xfc00].map(float16ToFloat32)).toEqual([
      0,
      -0,
      2 ** -24,
      1,
      -2,
      0.333251953125,
      65504,
      Infinity,
      -Infinity,
    ]);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });
});

describe('widenFloat16', () => {
  afterEach(() => vi.unstubAllGlobals());
  const bits = [0x3c00, 0xc000, 0x0001, 0x7bff, 0x3555];

  it('widens in a loop where the platform has no Float16Array', () => {
    expect(widenFloat16Natively(halves(bits))).toBeUndefined();
    expect(Array.from(widenFloat16(halves(bits)))).toEqual(bits.map(float16ToFloat32));
  });

  it("widens through the platform's Float16Array to the same values, also from an odd byte offset", () => {
    vi.stubGlobal('Float16Array', Float16ArrayStandIn);
    for (const offset of [0, 1, 2]) {
      const native = widenFloat16Natively(halves(bits, offset));
      expect(native).toBeInstanceOf(Float32Array);
      expect(Array.from(native ?? [])).toEqual(bits.map(float16ToFloat32));
    }
  });
});
