/**
 * Precompressed delivery: after `vite build`, every compressible file of dist/ (code, styles, the page, JSON and the
 * wasm binaries) gets a brotli (`NAME.br`) and a gzip (`NAME.gz`) sibling, kept only when it saves at least
 * MIN_SAVING. `vite preview` then serves the smallest encoding the browser accepts, with `Content-Encoding`, the
 * original type and `Vary: Accept-Encoding`; a static host does the same with its precompressed-file option
 * (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`, ...: README, "Hosting"). Model weights (.bin, .tflite)
 * are float data that compress by a few percent and are left as they are.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The files that get precompressed, with the type they are served as. */
export const COMPRESSIBLE_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** An encoding is kept only when it makes the file at least this much smaller. */
export const MIN_SAVING = 0.05;
/** Smaller files are sent as they are (a response header costs more than it saves). */
export const MIN_BYTES = 1024;

export type Encoding = 'br' | 'gzip';
export const ENCODING_SUFFIX: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };

/**
 * Brotli quality by size: 11 (the densest) for code; 9 for the multi-megabyte wasm binaries, where 11 would add
 * minutes to every build for a percent or two.
 */
export function brotliQuality(bytes: number): number {
  return bytes > 2 * 1024 * 1024 ? 9 : 11;
}

/** The file's bytes in each encoding that saves at least MIN_SAVING. */
export function compress(bytes: Uint8Array): Partial<Record<Encoding, Buffer>> {
  const out: Partial<Record<Encoding, Buffer>> = {};
  if (bytes.length < MIN_BYTES) return out;
  const br = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality(bytes.length), [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  if (br.length <= bytes.length * (1 - MIN_SAVING)) out.br = br;
  if (gzip.length <= bytes.length * (1 - MIN_SAVING)) out.gzip = gzip;
  return out;
}

export interface PrecompressedFile {
  readonly file: string;
  readonly bytes: number;
  readonly br?: number;
  readonly gzip?: number;
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile() && path.extname(entry.name) in COMPRESSIBLE_TYPES) yield full;
  }
}

/** Writes the .br/.gz siblings of every compressible file under `dir`; `skip` leaves files out (relative paths). */
export async function precompressDir(dir: string, skip: (relative: string) => boolean = () => false): Promise<PrecompressedFile[]> {
  const done: PrecompressedFile[] = [];
  for await (const file of filesUnder(dir)) {
    const relative = path.relative(dir, file).split(path.sep).join('/');
    if (skip(relative)) continue;
    const bytes = await readFile(file);
    const encoded = compress(bytes);
    for (const [encoding, data] of Object.entries(encoded) as [Encoding, Buffer][]) await writeFile(file + ENCODING_SUFFIX[encoding], data);
    done.push({
      file: relative,
      bytes: bytes.length,
      ...(encoded.br ? { br: encoded.br.length } : {}),
      ...(encoded.gzip ? { gzip: encoded.gzip.length } : {}),
    });
  }
  return done;
}

/**
 * The encoding to serve: brotli before gzip, among those the request's Accept-Encoding allows (an explicit q=0
 * refuses one) and that exist for the file.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: ReadonlySet<Encoding>): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)));
  }
  const allows = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).find((e) => available.has(e) && allows(e));
}

/** Paths the build writes after this plugin runs or that must stay byte-for-byte as built. */
const NOT_PRECOMPRESSED = /(^|\/)(sw\.js|workbox-[^/]*\.js)$/;

/**
 * Serves `dist/NAME.br` or `dist/NAME.gz` for a request of NAME when the browser accepts it; anything else goes on
 * to Vite's own static server. `headers`: the preview's extra headers (the CSP), sent on these responses too.
 */
export function precompressedMiddleware(distDir: string, headers: Readonly<Record<string, string>> = {}) {
  const root = path.resolve(distDir);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    const type = COMPRESSIBLE_TYPES[path.extname(file)];
    if (!type || !file.startsWith(root + path.sep)) return next();
    void (async () => {
      const sizes = new Map<Encoding, number>();
      for (const e of ['br', 'gzip'] as const) {
        const info = await stat(file + ENCODING_SUFFIX[e]).catch(() => undefined);
        if (info?.isFile()) sizes.set(e, info.size);
      }
      const encoding = chooseEncoding(req.headers['accept-encoding'], new Set(sizes.keys()));
      if (!encoding) return next();
      res.writeHead(200, {
        ...headers,
        'Content-Type': type,
        'Content-Encoding': encoding,
        'Content-Length': String(sizes.get(encoding)),
        Vary: 'Accept-Encoding',
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file + ENCODING_SUFFIX[encoding]).pipe(res);
    })().catch(() => next());
  };
}

/** The Vite plugin: precompresses dist/ after the build (after the service worker is written) and serves it in preview. */
export function precompressedAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'circumplex-precompressed-assets',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        if (!(await stat(outDir).catch(() => undefined))) return;
        const files = await precompressDir(outDir, (relative) => NOT_PRECOMPRESSED.test(relative));
        const sum = (key: 'bytes' | 'br' | 'gzip'): number => files.reduce((a, f) => a + (f[key] ?? f.bytes), 0);
        this.info(
          `precompressed ${files.length} files: ${(sum('bytes') / 1e6).toFixed(2)} MB -> brotli ${(sum('br') / 1e6).toFixed(2)} MB, gzip ${(sum('gzip') / 1e6).toFixed(2)} MB`,
        );
      },
    },
    configurePreviewServer(server) {
      const headers = Object.fromEntries(Object.entries(server.config.preview.headers ?? {}).map(([k, v]) => [k, String(v)]));
      server.middlewares.use(precompressedMiddleware(path.resolve(server.config.root, server.config.build.outDir), headers));
    },
  };
}
