import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { entryCropSpec, ModelFileError, modelForTask, parseManifest, sha256HexOf, verifyFile } from './manifest.ts';

const shipped = path.resolve(import.meta.dirname, '../../public/models/manifest.json');

function validManifest(): Record<string, unknown> {
  return JSON.parse(readFileSync(shipped, 'utf8')) as Record<string, unknown>;
}

describe('parseManifest', () => {
  test('the shipped manifest is valid', () => {
    const m = parseManifest(readFileSync(shipped, 'utf8'), shipped);
    expect(m.models.map((x) => x.task)).toContain('face-detection');
  });
  test('truncated JSON names the file and says it may be truncated', () => {
    const text = readFileSync(shipped, 'utf8');
    expect(() => parseManifest(text.slice(0, text.length / 2), 'models/manifest.json')).toThrow(
      /models\/manifest.json: is not valid JSON .*truncated/,
    );
  });
  test('a bad field is named with its path', () => {
    const m = validManifest();
    const models = m.models as Record<string, unknown>[];
    (models[0]!.files as Record<string, unknown>[])[0]!.sha256 = 'abc';
    try {
      parseManifest(JSON.stringify(m), 'manifest.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as ModelFileError).field).toBe('models[0].files[0].sha256');
      expect((e as Error).message).toMatch(/manifest.json: field "models\[0\].files\[0\].sha256" must be a lowercase hex sha256/);
    }
  });
  test('inconsistent entries: the entry file must be listed, labels must match the output size, names unique', () => {
    const m = validManifest();
    const model = (m.models as Record<string, unknown>[])[0]!;
    model.entry = 'other.tflite';
    expect(() => parseManifest(JSON.stringify(m))).toThrow(/must list the entry file other.tflite/);
    const twice = validManifest();
    const list = twice.models as unknown[];
    list.push(structuredClone(list[0]));
    expect(() => parseManifest(JSON.stringify(twice))).toThrow(/names model "face-detector" twice/);
  });
  test('an expression model must state its face crop; the app reads exactly that crop', () => {
    const shippedManifest = parseManifest(readFileSync(shipped, 'utf8'), shipped);
    const entry = modelForTask(shippedManifest, 'face-expression');
    expect(entryCropSpec(entry)).toEqual({
      size: entry.input.shape[0],
      margin: entry.input.cropMargin,
      shiftY: entry.input.cropShiftY,
      levelEyes: entry.input.cropLevelEyes ?? false,
      levelDeadband: entry.input.cropLevelDeadband ?? 0,
      normalisation: entry.input.normalisation,
    });
    // cropLevelEyes is read as written, and its absence (manifests from before it) means upright crops.
    for (const level of [true, false, undefined]) {
      const m = validManifest();
      const expression = (m.models as { task: string; input: Record<string, unknown> }[]).find((x) => x.task === 'face-expression')!;
      if (level === undefined) delete expression.input.cropLevelEyes;
      else expression.input.cropLevelEyes = level;
      expect(entryCropSpec(modelForTask(parseManifest(JSON.stringify(m), 'manifest.json'), 'face-expression')).levelEyes).toBe(
        level ?? false,
      );
    }
    for (const field of ['cropMargin', 'cropShiftY']) {
      const m = validManifest();
      const expression = (m.models as { task: string; input: Record<string, unknown> }[]).find((x) => x.task === 'face-expression')!;
      delete expression.input[field];
      expect(() => parseManifest(JSON.stringify(m), 'manifest.json')).toThrow(
        new RegExp(`field "models\\[\\d\\]\\.input\\.${field}" is missing: an image model must state the face crop`),
      );
    }
  });
  test('paths may not leave public/models', () => {
    const m = validManifest();
    ((m.models as Record<string, unknown>[])[0]!.files as Record<string, unknown>[])[0]!.path = '../secret';
    expect(() => parseManifest(JSON.stringify(m))).toThrow(/relative path inside public\/models/);
  });
});

describe('verifyFile', () => {
  const bytes = new TextEncoder().encode('model bytes');
  test('accepts the right bytes; names the file when missing, truncated or altered', async () => {
    const entry = { path: 'cnn/weights.bin', bytes: bytes.byteLength, sha256: await sha256HexOf(bytes) };
    await expect(verifyFile(entry, bytes)).resolves.toBeUndefined();
    await expect(verifyFile(entry, undefined)).rejects.toThrow(/cnn\/weights.bin: is missing/);
    await expect(verifyFile(entry, bytes.slice(0, 4))).rejects.toThrow(/cnn\/weights.bin: is truncated: 4 bytes, manifest says 11/);
    const altered = bytes.slice();
    altered[0] = 0;
    await expect(verifyFile(entry, altered)).rejects.toThrow(/cnn\/weights.bin: has the wrong checksum/);
  });
});
