import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifest, modelForTask, verifyFile } from '../src/core/manifest.ts';
import { DETECTOR_FILE, deriveFaceDetector, readSourceModel } from './face-detector-metadata.ts';
import { METADATA_NAME, readBuffers, readImageInputMetadata, readMetadataBuffer, readMetadataEntries } from './tflite-metadata.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = path.join(root, 'public/models');
const committed = new Uint8Array(readFileSync(path.join(modelsDir, DETECTOR_FILE)));
const source = readSourceModel(root);

describe('face_detector.tflite', () => {
  it.skipIf(!source)('is exactly what the derivation script produces from the npm model', () => {
    const derived = deriveFaceDetector(source!.bytes);
    expect(Buffer.from(derived).equals(Buffer.from(committed))).toBe(true);
  });

  it('carries TFLITE_METADATA: RGB input normalised with mean 127.5 and std 127.5', () => {
    expect(readMetadataEntries(committed).map((m) => m.name)).toContain(METADATA_NAME);
    const meta = readImageInputMetadata(readMetadataBuffer(committed)!);
    expect(meta.colorSpace).toBe('RGB');
    expect(meta.mean).toEqual([127.5]);
    expect(meta.std).toEqual([127.5]);
    expect([meta.width, meta.height]).toEqual([128, 128]);
  });

  it.skipIf(!source)('keeps every weight buffer of the original model unchanged', () => {
    const before = readBuffers(source!.bytes);
    const after = readBuffers(committed);
    expect(after).toHaveLength(before.length + 1);
    before.forEach((b, i) => expect(Buffer.from(after[i]!).equals(Buffer.from(b)), `buffer ${i}`).toBe(true));
  });

  it('refuses a model that already has metadata, naming the problem', () => {
    expect(() => deriveFaceDetector(committed)).toThrow(/already has TFLITE_METADATA/);
  });

  it('is listed in manifest.json with its size and checksum', async () => {
    const manifest = parseManifest(readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'));
    const entry = modelForTask(manifest, 'face-detection');
    expect(entry.entry).toBe(DETECTOR_FILE);
    const file = entry.files.find((f) => f.path === DETECTOR_FILE)!;
    await expect(verifyFile(file, committed)).resolves.toBeUndefined();
  });
});
