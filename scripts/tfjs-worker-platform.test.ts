import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardLocalStorageStore, tfjsWorkerPlatform } from './tfjs-worker-platform.ts';

const require = createRequire(import.meta.url);
const FILE = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist/platforms/platform_browser.js');
const source = readFileSync(FILE, 'utf8');

/** Runs the module's registration block, with `scope.window` as its window; returns the schemes it registered. */
function registeredStores(code: string, scope: Record<string, unknown>): string[] {
  const start = code.indexOf("if (env().get('IS_BROWSER'))");
  const block = code.slice(start, code.indexOf('\n}\n', start) + 2);
  const registered: string[] = [];
  class BrowserLocalStorageManager {
    constructor() {
      // As tfjs-core's: reads window.localStorage, which throws a ReferenceError where there is no window.
      if (!('window' in scope)) throw new ReferenceError('window is not defined');
    }
  }
  const run = new Function(
    'env',
    'PlatformBrowser',
    'ModelStoreManagerRegistry',
    'BrowserLocalStorage',
    'BrowserLocalStorageManager',
    'BrowserIndexedDB',
    'BrowserIndexedDBManager',
    'window',
    `"use strict"; ${block}`,
  );
  run(
    () => ({ get: () => true, setPlatform: () => undefined }),
    class {},
    { registerManager: (scheme: string) => registered.push(scheme) },
    { URL_SCHEME: 'localstorage://' },
    BrowserLocalStorageManager,
    { URL_SCHEME: 'indexeddb://' },
    class {},
    scope.window,
  );
  return registered;
}

describe('guardLocalStorageStore', () => {
  it("registers the same stores as tfjs-core's own code, in a page and in a worker", () => {
    const patched = guardLocalStorageStore(source, FILE);
    expect(registeredStores(patched, { window: {} })).toEqual(['localstorage://', 'indexeddb://']);
    expect(registeredStores(source, { window: {} })).toEqual(['localstorage://', 'indexeddb://']);
    expect(registeredStores(patched, {})).toEqual(['indexeddb://']);
    expect(registeredStores(source, {})).toEqual(['indexeddb://']);
  });

  it('changes one line only, so the module keeps its lines', () => {
    const before = source.split('\n');
    const after = guardLocalStorageStore(source, FILE).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual([expect.stringMatching(/^\s*if \(typeof window !== 'undefined'\) try \{$/)]);
  });

  it("fails, naming the file, when tfjs-core's code no longer reads as expected", () => {
    expect(() => guardLocalStorageStore('export const x = 1;\n', 'platform_browser.js')).toThrow(
      /platform_browser\.js: the localStorage model store's registration was not found/,
    );
  });
});

describe('tfjsWorkerPlatform', () => {
  it("transforms tfjs-core's platform_browser.js and nothing else", () => {
    const transform = tfjsWorkerPlatform().transform as (code: string, id: string) => { code: string } | null;
    expect(transform(source, FILE)?.code).toBe(guardLocalStorageStore(source, FILE));
    expect(transform(source, '/app/src/features/pipeline/worker.ts')).toBeNull();
  });
});
