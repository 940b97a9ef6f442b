import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../src/core/manifest.ts';
import { fileEntryFor, upsertEntry, upsertManifestFile } from './manifest-upsert.ts';

function entry(name: string, version = '1'): ModelEntry {
  return {
    name,
    version,
    task: 'face-expression',
    format: 'tfjs-layers',
    entry: `${name}/model.json`,
    input: { shape: [48, 48, 1], channelOrder: 'gray', normalisation: { scale: 1 / 255, offset: 0 }, cropMargin: 0.08, cropShiftY: -0.11 },
    outputs: [{ name: 'va', size: 2, meaning: 'valence, arousal in -1..1' }],
    files: [{ path: `${name}/model.json`, bytes: 10, sha256: 'a'.repeat(64) }],
    quantization: 'float32',
    provenance: { data: 'test', licence: 'test' },
  };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'manifest-'));
  dirs.push(d);
  return d;
}

describe('upsertEntry', () => {
  it('appends new models and replaces a same-named one in place', () => {
    let m = upsertEntry(undefined, entry('a'));
    m = upsertEntry(m, entry('b'));
    m = upsertEntry(m, entry('a', '2'));
    expect(m.models.map((x) => `${x.name}@${x.version}`)).toEqual(['a@2', 'b@1']);
  });

  it('rejects an invalid entry before anything is written', () => {
    expect(() => upsertEntry(undefined, { ...entry('a'), name: 'Bad Name' })).toThrow(/lowercase/);
  });
});

describe('upsertManifestFile', () => {
  it('creates the file, keeps other entries, and writes the same bytes for the same input', () => {
    const file = path.join(tempDir(), 'manifest.json');
    upsertManifestFile(file, entry('a'));
    upsertManifestFile(file, entry('b'));
    const first = readFileSync(file, 'utf8');
    upsertManifestFile(file, entry('a'));
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect((JSON.parse(first) as { models: { name: string }[] }).models.map((x) => x.name)).toEqual(['a', 'b']);
  });

  it('refuses to overwrite a corrupt manifest, naming it', () => {
    const file = path.join(tempDir(), 'manifest.json');
    writeFileSync(file, '{"schemaVersion": 1, "mod');
    expect(() => upsertManifestFile(file, entry('a'))).toThrow(/manifest\.json: is not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "mod');
  });
});

describe('fileEntryFor', () => {
  it('records size and sha256', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'x.bin'), 'abc');
    expect(fileEntryFor(dir, 'x.bin')).toEqual({
      path: 'x.bin',
      bytes: 3,
      // sha256("abc"), FIPS 180-2 test vector.
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });
});
