/**
 * Test helper: a stand-in for the browser's Float16Array (Node 20 has none), to stub as the global in tests of the
 * native widening path (float16.ts). Constructed like the real one, it gives the `length` float16 values at
 * `byteOffset` as a plain array of numbers.
 */
import { float16ToFloat32 } from './float16.ts';

export function Float16ArrayStandIn(buffer: ArrayBuffer, byteOffset: number, length: number): number[] {
  const view = new DataView(buffer, byteOffset, 2 * length);
  return Array.from({ length }, (_, i) => float16ToFloat32(view.getUint16(2 * i, true)));
}
