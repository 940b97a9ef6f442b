import { describe, expect, it } from 'vitest';
import { findBrokenRuntimeFile } from './wasm-check.ts';
import type { FetchLike } from './wasm-check.ts';

// The smallest valid module (magic + version) and one with a function section that ends early.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const CUT_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01]);

function server(files: Record<string, Uint8Array | number>): FetchLike {
  return (url) => {
    const f = files[url];
    if (f === undefined) return Promise.resolve({ ok: false, status: 404, arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)) });
    if (typeof f === 'number') return Promise.resolve({ ok: false, status: f, arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)) });
    return Promise.resolve({ ok: true, status: 200, arrayBuffer: () => Promise.resolve(f.slice().buffer) });
  };
}

// The two binaries the app's wasm runtime may load, in the order it asks (start-detector.ts).
const SIMD = 'http://localhost/vendor/tfjs/tfjs-backend-wasm-simd.wasm';
const PLAIN = 'http://localhost/vendor/tfjs/tfjs-backend-wasm.wasm';

describe('findBrokenRuntimeFile', () => {
  it('finds nothing wrong when every file downloads and the binary is a valid module', async () => {
    expect(await findBrokenRuntimeFile([SIMD, PLAIN], server({ [SIMD]: EMPTY_MODULE, [PLAIN]: EMPTY_MODULE }))).toBeUndefined();
  });

  it('names a missing binary by its path', async () => {
    expect(await findBrokenRuntimeFile([SIMD, PLAIN], server({ [SIMD]: EMPTY_MODULE }))).toEqual({
      file: 'vendor/tfjs/tfjs-backend-wasm.wasm',
      problem: 'is missing',
    });
  });

  it('names a truncated binary', async () => {
    const found = await findBrokenRuntimeFile([SIMD, PLAIN], server({ [SIMD]: EMPTY_MODULE, [PLAIN]: CUT_MODULE }));
    expect(found?.file).toBe('vendor/tfjs/tfjs-backend-wasm.wasm');
    expect(found?.problem).toMatch(/not a valid WebAssembly module \(11 bytes\): truncated/);
  });

  it('reports a server error on the first binary first', async () => {
    expect(await findBrokenRuntimeFile([SIMD, PLAIN], server({ [SIMD]: 500, [PLAIN]: EMPTY_MODULE }))).toEqual({
      file: 'vendor/tfjs/tfjs-backend-wasm-simd.wasm',
      problem: 'could not be downloaded (HTTP 500)',
    });
  });
});
