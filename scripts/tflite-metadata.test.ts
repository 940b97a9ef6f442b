import { describe, expect, it } from 'vitest';
import { Builder } from 'flatbuffers';
import {
  attachMetadata,
  buildImageInputMetadata,
  readBuffers,
  readImageInputMetadata,
  readMetadataBuffer,
  readMetadataEntries,
} from './tflite-metadata.ts';
import type { ImageInputMetadata } from './tflite-metadata.ts';

const META: ImageInputMetadata = {
  modelName: 'tiny',
  modelDescription: 'a test model',
  modelVersion: '3',
  author: 'tests',
  license: 'Apache-2.0',
  inputName: 'pixels',
  inputDescription: 'gray pixels',
  colorSpace: 'GRAYSCALE',
  width: 48,
  height: 32,
  mean: [0.5, 1.5, 2.5],
  std: [255, 128, 64],
};

/** A minimal TFLite Model: version 3, an empty sentinel buffer, one data buffer, one metadata entry. */
function tinyModel(): Uint8Array {
  const b = new Builder(256);
  const bufferTable = (bytes: number[] | undefined): number => {
    const data = bytes ? b.createByteVector(new Uint8Array(bytes)) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, data, 0);
    return b.endObject();
  };
  const sentinel = bufferTable(undefined);
  const weights = bufferTable([1, 2, 3, 4, 5]);
  b.startVector(4, 2, 4);
  b.addOffset(weights);
  b.addOffset(sentinel);
  const buffers = b.endVector();
  const name = b.createString('min_runtime_version');
  b.startObject(2);
  b.addFieldOffset(0, name, 0);
  b.addFieldInt32(1, 1, 0);
  const entry = b.endObject();
  b.startVector(4, 1, 4);
  b.addOffset(entry);
  const metadata = b.endVector();
  const description = b.createString('tiny model');
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffers, 0);
  b.addFieldOffset(6, metadata, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

describe('TFLite metadata', () => {
  it('round-trips every written field', () => {
    expect(readImageInputMetadata(buildImageInputMetadata(META))).toEqual(META);
  });

  it('attaches metadata as a new buffer and keeps existing buffers and entries', () => {
    const model = tinyModel();
    const out = attachMetadata(model, buildImageInputMetadata(META));
    expect(readMetadataEntries(out)).toEqual([
      { name: 'min_runtime_version', buffer: 1 },
      { name: 'TFLITE_METADATA', buffer: 2 },
    ]);
    expect(
      readBuffers(out)
        .slice(0, 2)
        .map((b) => Array.from(b)),
    ).toEqual([[], [1, 2, 3, 4, 5]]);
    expect(readImageInputMetadata(readMetadataBuffer(out)!)).toEqual(META);
    // The original file is kept whole at a 16-byte aligned position, so its own alignment holds.
    const at = Buffer.from(out).indexOf(Buffer.from(model));
    expect(at).toBeGreaterThan(0);
    expect(at % 16).toBe(0);
  });

  it('is deterministic', () => {
    const model = tinyModel();
    const a = attachMetadata(model, buildImageInputMetadata(META));
    const b = attachMetadata(model, buildImageInputMetadata(META));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('rejects files that are not TFLite models or not metadata, saying what was found', () => {
    const meta = buildImageInputMetadata(META);
    expect(() => attachMetadata(meta, meta)).toThrow(/tflite model: file identifier is "M001", expected "TFL3"/);
    expect(() => attachMetadata(tinyModel(), tinyModel())).toThrow(/model metadata: file identifier is "TFL3", expected "M001"/);
    expect(() => readMetadataEntries(new Uint8Array(4))).toThrow(/too short/);
  });

  it('reports a model without metadata as such', () => {
    expect(readMetadataBuffer(tinyModel())).toBeUndefined();
  });
});
