import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modelPreloadTags, startupModelFiles } from './model-preloads.ts';

const MODELS = fileURLToPath(new URL('../public/models', import.meta.url));
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('startupModelFiles', () => {
  it("names the shipped models' start-up files in the order the page fetches them, and none it does not fetch", () => {
    expect(startupModelFiles(MODELS)).toEqual([
      'manifest.json',
      'face_detector.tflite',
      'expression-cnn/model.json',
      'expression-cnn/weights.bin',
      'temporal-gru/model.json',
      'temporal-gru/weights.bin',
    ]);
  });

  it('follows the weight files a model.json names, and fails the build on a broken model.json', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'circumplex-preloads-'));
    scratch.push(dir);
    cpSync(MODELS, dir, { recursive: true });
    writeFileSync(path.join(dir, 'temporal-gru/model.json'), '{ not json');
    expect(() => startupModelFiles(dir)).toThrow(/temporal-gru\/model.json: is not valid JSON/);
  });
});

describe('modelPreloadTags', () => {
  it('asks for each file as fetch() will (CORS mode, same-origin credentials) under the base path', () => {
    expect(modelPreloadTags(['manifest.json'], '/circumplex/')).toEqual([
      {
        tag: 'link',
        attrs: { rel: 'preload', as: 'fetch', crossorigin: 'anonymous', href: '/circumplex/models/manifest.json' },
        injectTo: 'head',
      },
    ]);
  });
});
