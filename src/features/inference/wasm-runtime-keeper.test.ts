import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserWasmFeatures, compileWasmRuntime, tfjsWasmBinaryName } from './wasm-runtime-keeper.ts';

const TFJS_WASM_DIST = path.dirname(
  createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
);
const BASE = 'http://localhost/vendor/tfjs/';

function wasmResponse(bytes: Uint8Array, type = 'application/wasm'): Response {
  return new Response(new Uint8Array(bytes), { headers: { 'content-type': type } });
}

function serving(files: Record<string, Uint8Array>, asked: string[] = []): (url: string) => Promise<Response> {
  return (url) => {
    asked.push(url);
    const bytes = files[url];
    return bytes ? Promise.resolve(wasmResponse(bytes)) : Promise.reject(new TypeError('Failed to fetch'));
  };
}

describe('tfjsWasmBinaryName', () => {
  it('names the binary TF.js loads for each combination of features, as the app ships them', () => {
    expect(tfjsWasmBinaryName({ simd: true, threads: false })).toBe('tfjs-backend-wasm-simd.wasm');
    expect(tfjsWasmBinaryName({ simd: false, threads: false })).toBe('tfjs-backend-wasm.wasm');
    expect(tfjsWasmBinaryName({ simd: false, threads: true })).toBe('tfjs-backend-wasm.wasm');
    expect(tfjsWasmBinaryName({ simd: true, threads: true })).toBe('tfjs-backend-wasm-threaded-simd.wasm');
    for (const simd of [true, false])
      for (const threads of [true, false])
        expect(() => readFileSync(path.join(TFJS_WASM_DIST, tfjsWasmBinaryName({ simd, threads })))).not.toThrow();
  });
});

describe('browserWasmFeatures', () => {
  it('finds SIMD where the engine validates it, and no threads without cross-origin isolation', () => {
    expect(browserWasmFeatures()).toEqual({ simd: true, threads: false });
  });
});

describe('compileWasmRuntime', () => {
  const simd = new Uint8Array(readFileSync(path.join(TFJS_WASM_DIST, 'tfjs-backend-wasm-simd.wasm')));

  it("compiles the binary this browser's workers will load, from the runtime's folder", async () => {
    const asked: string[] = [];
    const module = await compileWasmRuntime(BASE, serving({ [`${BASE}tfjs-backend-wasm-simd.wasm`]: simd }, asked), {
      simd: true,
      threads: false,
    });
    expect(asked).toEqual([`${BASE}tfjs-backend-wasm-simd.wasm`]);
    expect(module).toBeInstanceOf(WebAssembly.Module);
    // TF.js's own entry points are there: the same module the workers instantiate.
    const exports = WebAssembly.Module.exports(module!).map((e) => e.kind);
    expect(exports).toContain('memory');
    expect(exports.filter((k) => k === 'function').length).toBeGreaterThan(20);
  });

  it('asks for the plain binary without SIMD', async () => {
    const asked: string[] = [];
    await compileWasmRuntime(BASE, serving({}, asked), { simd: false, threads: false });
    expect(asked).toEqual([`${BASE}tfjs-backend-wasm.wasm`]);
  });

  it('resolves undefined, without throwing, when the file is missing, truncated or not served as wasm', async () => {
    const features = { simd: true, threads: false };
    const url = `${BASE}tfjs-backend-wasm-simd.wasm`;
    await expect(compileWasmRuntime(BASE, serving({}), features)).resolves.toBeUndefined();
    await expect(compileWasmRuntime(BASE, serving({ [url]: simd.slice(0, 4096) }), features)).resolves.toBeUndefined();
    const asText = (): Promise<Response> => Promise.resolve(wasmResponse(simd, 'text/html'));
    await expect(compileWasmRuntime(BASE, asText, features)).resolves.toBeUndefined();
  });
});
