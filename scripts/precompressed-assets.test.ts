import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { get, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, compress, MIN_BYTES, precompressDir, precompressedMiddleware } from './precompressed-assets.ts';

const code = Buffer.from(Array.from({ length: 400 }, (_, i) => `export const value${i} = compute(${i}, "circumplex");\n`).join(''));

describe('compress', () => {
  it('gives brotli and gzip bytes that decode to the original', () => {
    const out = compress(code);
    expect(brotliDecompressSync(out.br!).equals(code)).toBe(true);
    expect(gunzipSync(out.gzip!).equals(code)).toBe(true);
    expect(out.br!.length).toBeLessThan(code.length / 4);
  });

  it('leaves small and incompressible files as they are', () => {
    expect(compress(code.subarray(0, MIN_BYTES - 1))).toEqual({});
    expect(compress(randomBytes(64 * 1024))).toEqual({});
  });
});

describe('chooseEncoding', () => {
  const both = new Set(['br', 'gzip'] as const);
  it('prefers brotli, falls back to gzip, and honours q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(chooseEncoding('gzip, deflate', both)).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5', both)).toBe('gzip');
    expect(chooseEncoding('*', both)).toBe('br');
    expect(chooseEncoding('*, br;q=0', both)).toBe('gzip');
    expect(chooseEncoding('br', new Set(['gzip'] as const))).toBeUndefined();
    expect(chooseEncoding(undefined, both)).toBeUndefined();
    expect(chooseEncoding('identity', both)).toBeUndefined();
  });
});

describe('precompressDir and the preview middleware', () => {
  let dir: string;
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'precompress-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html>${code.toString()}`);
    writeFileSync(path.join(dir, 'assets/app.js'), code);
    writeFileSync(path.join(dir, 'sw.js'), code);
    writeFileSync(path.join(dir, 'weights.bin'), code);
    const server = createServer((req, res) =>
      precompressedMiddleware(dir, { 'Content-Security-Policy': "default-src 'self'" })(req, res, () => res.writeHead(404).end('next')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the siblings of compressible files only, and none of what it is told to skip', async () => {
    const files = await precompressDir(dir, (relative) => relative === 'sw.js');
    expect(files.map((f) => f.file).sort()).toEqual(['assets/app.js', 'index.html']);
    expect(gunzipSync(readFileSync(path.join(dir, 'assets/app.js.gz'))).equals(code)).toBe(true);
    expect(existsSync(path.join(dir, 'sw.js.br'))).toBe(false);
    expect(existsSync(path.join(dir, 'weights.bin.br'))).toBe(false);
  });

  const request = (pathname: string, acceptEncoding?: string) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      get(`${url}${pathname}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

  it('serves the brotli or gzip file with the original type, Vary and the extra headers', async () => {
    const br = await request('/assets/app.js?v=1', 'gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-security-policy']).toBe("default-src 'self'");
    expect(brotliDecompressSync(br.body).equals(code)).toBe(true);
    const gzip = await request('/', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(`<!doctype html>${code.toString()}`);
  });

  it('hands everything else to the next server: no accepted encoding, no sibling, other types, paths outside dist', async () => {
    expect((await request('/assets/app.js')).body.toString()).toBe('next');
    expect((await request('/sw.js', 'br')).body.toString()).toBe('next');
    expect((await request('/weights.bin', 'br')).body.toString()).toBe('next');
    expect((await request('/../precompress/assets/app.js', 'br')).body.toString()).toBe('next');
  });
});
