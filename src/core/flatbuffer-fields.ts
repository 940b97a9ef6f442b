/**
 * Reading flatbuffer tables with the plain `flatbuffers` runtime, no generated code: the few accessors the app's
 * TFLite graph reader (tflite-graph.ts) and the build's TFLite metadata tool (scripts/tflite-metadata.ts) share.
 * `id` is a field's declaration index in its schema (a union takes two: its type byte, then its value).
 */
import type { ByteBuffer } from 'flatbuffers';

/** Absolute position of a field's value, or undefined when the field is absent. */
export function field(bb: ByteBuffer, table: number, id: number): number | undefined {
  const o = bb.__offset(table, 4 + 2 * id);
  return o === 0 ? undefined : table + o;
}

/** Absolute position of the object (table, vector, string) an offset field points to. */
export function refField(bb: ByteBuffer, table: number, id: number): number | undefined {
  const at = field(bb, table, id);
  return at === undefined ? undefined : bb.__indirect(at);
}

/** Absolute positions of a vector-of-tables' elements (empty when absent). */
export function tableVector(bb: ByteBuffer, table: number, id: number): number[] {
  const vec = refField(bb, table, id);
  if (vec === undefined) return [];
  return Array.from({ length: bb.readUint32(vec) }, (_, i) => bb.__indirect(vec + 4 + 4 * i));
}

export function stringField(bb: ByteBuffer, table: number, id: number): string | undefined {
  const at = field(bb, table, id);
  return at === undefined ? undefined : (bb.__string(at) as string);
}

export function int32Vector(bb: ByteBuffer, table: number, id: number): number[] {
  const vec = refField(bb, table, id);
  if (vec === undefined) return [];
  return Array.from({ length: bb.readUint32(vec) }, (_, i) => bb.readInt32(vec + 4 + 4 * i));
}

export function float32Vector(bb: ByteBuffer, table: number, id: number): number[] {
  const vec = refField(bb, table, id);
  if (vec === undefined) return [];
  return Array.from({ length: bb.readUint32(vec) }, (_, i) => bb.readFloat32(vec + 4 + 4 * i));
}

/** A [ubyte] vector's bytes, as a view into the buffer (no copy). */
export function byteVector(bb: ByteBuffer, table: number, id: number): Uint8Array | undefined {
  const vec = refField(bb, table, id);
  if (vec === undefined) return undefined;
  return bb.bytes().subarray(vec + 4, vec + 4 + bb.readUint32(vec));
}

/** A scalar field read with `read` at its position, or `fallback` (the schema default) when absent. */
export function scalarField(bb: ByteBuffer, table: number, id: number, read: (at: number) => number, fallback: number): number {
  const at = field(bb, table, id);
  return at === undefined ? fallback : read(at);
}
