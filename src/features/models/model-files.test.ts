/// <reference types="node" />
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelFileError, sha256HexOf } from '../../core/manifest.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { SHIPPED_MODELS, shippedEntry, shippedModelFiles } from '../inference/test-model-files.ts';
import { fetchLayersModelFiles } from './model-files.ts';

const BASE = new URL('https://app.test/models/');

/**
 * A server for public/models: answers each request when `release(path)` is called (or at once with `immediate`),
 * with the file's bytes or, for `corrupt` paths, with one byte changed. Records the order of requests.
 */
function modelServer({ immediate = false, corrupt = [] as string[] } = {}) {
  const requested: string[] = [];
  const waiting = new Map<string, () => void>();
  vi.stubGlobal('fetch', async (url: URL) => {
    const file = decodeURIComponent(url.href.slice(BASE.href.length));
    requested.push(file);
    if (!immediate) await new Promise<void>((resolve) => waiting.set(file, resolve));
    const bytes = new Uint8Array(readFileSync(path.join(SHIPPED_MODELS, file)));
    if (corrupt.includes(file)) bytes[0] = bytes[0]! ^ 0xff;
    return new Response(bytes);
  });
  return {
    requested,
    release(file: string): void {
      const answer = waiting.get(file);
      if (!answer) throw new Error(`${file} was not requested`);
      answer();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('fetchLayersModelFiles', () => {
  afterEach(() => vi.unstubAllGlobals());
  const entry = shippedEntry('face-expression') as ModelEntry;

  it('requests the weight shards beside model.json, before model.json has arrived, and returns the verified files', async () => {
    const server = modelServer();
    const files = fetchLayersModelFiles(entry, BASE);
    await settle();
    expect(server.requested.sort()).toEqual(['expression-cnn/model.json', 'expression-cnn/weights.bin']);
    server.release('expression-cnn/weights.bin');
    server.release('expression-cnn/model.json');
    expect(await files).toEqual(await shippedModelFiles(entry));
  });

  it('names model.json when it and a shard are both broken, and the shard when only it is', async () => {
    modelServer({ immediate: true, corrupt: ['expression-cnn/model.json', 'expression-cnn/weights.bin'] });
    await expect(fetchLayersModelFiles(entry, BASE)).rejects.toMatchObject({ name: 'ModelFileError', file: 'expression-cnn/model.json' });
    vi.unstubAllGlobals();
    modelServer({ immediate: true, corrupt: ['expression-cnn/weights.bin'] });
    const error = await fetchLayersModelFiles(entry, BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toMatchObject({ file: 'expression-cnn/weights.bin' });
  });

  it('fetches a file model.json names once it is read when the manifest lists it but not as a shard, and refuses one it does not list', async () => {
    const json = new Uint8Array(readFileSync(path.join(SHIPPED_MODELS, entry.entry)));
    const renamed = new TextEncoder().encode(new TextDecoder().decode(json).replace('"weights.bin"', '"weights.data"'));
    const weights = entry.files.find((f) => f.path.endsWith('weights.bin'))!;
    const listed: ModelEntry = {
      ...entry,
      files: [
        { path: entry.entry, bytes: renamed.byteLength, sha256: await sha256HexOf(renamed) },
        { ...weights, path: weights.path.replace('weights.bin', 'weights.data') },
      ],
    };
    const requested: string[] = [];
    vi.stubGlobal('fetch', async (url: URL) => {
      const file = decodeURIComponent(url.href.slice(BASE.href.length));
      requested.push(file);
      if (file === entry.entry) return new Response(renamed);
      return new Response(new Uint8Array(readFileSync(path.join(SHIPPED_MODELS, weights.path))));
    });
    const files = await fetchLayersModelFiles(listed, BASE);
    expect(requested).toEqual([entry.entry, 'expression-cnn/weights.data']);
    expect([...files.keys()]).toEqual([entry.entry, 'expression-cnn/weights.data']);
    const unlisted: ModelEntry = { ...listed, files: [listed.files[0]!] };
    await expect(fetchLayersModelFiles(unlisted, BASE)).rejects.toThrow(/does not list expression-cnn\/weights\.data/);
  });
});
