/**
 * The two local servers the browser benchmarks talk to: `vite preview` of the app's dist/ (with its CSP
 * header, service worker and precompressed files, as users get it) and a small static server for the peer page
 * and the peers' model files (cacheable for an hour, so a reload measures a warm HTTP cache, as a returning
 * visitor gets; compressed the same way as the app's files, so bytes transferred compare like with like).
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chooseEncoding, compress, COMPRESSIBLE_TYPES } from '../../scripts/precompressed-assets.ts';
import type { Encoding } from '../../scripts/precompressed-assets.ts';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** `vite preview` on `port` of `repoRoot/dist`, or of another build folder `outDir`, with `repoRoot`'s vite config. */
export async function startPreview(repoRoot: string, port: number, outDir?: string): Promise<RunningServer> {
  const args = ['preview', ...(outDir ? ['--outDir', path.resolve(outDir)] : []), '--port', String(port), '--strictPort'];
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/vite'), args, { cwd: repoRoot, stdio: 'ignore' });
  const url = `http://localhost:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  };
  try {
    await waitForServer(url, 30_000);
  } catch (e) {
    await close();
    throw e;
  }
  return { url, close };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** URL prefix ('/models/human/') -> folder; '/' serves `index.html` of the root folder. */
export type Routes = Readonly<Record<string, string>>;

/** Resolves a request path against the routes, never outside a route's folder; undefined when none matches. */
export function resolveRoute(routes: Routes, urlPath: string): string | undefined {
  const pathname = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const prefix = Object.keys(routes)
    .filter((p) => pathname.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix === undefined) return undefined;
  const root = path.resolve(routes[prefix]!);
  const rest = pathname.slice(prefix.length) || 'index.html';
  const file = path.resolve(root, rest);
  return file.startsWith(root + path.sep) ? file : undefined;
}

export async function startStaticServer(routes: Routes, port: number): Promise<RunningServer> {
  /**
   * Each compressible file's encodings, all computed before the server answers (as a host's precompressed files
   * are), so that no request waits for a compression.
   */
  const encoded = new Map<string, Promise<Partial<Record<Encoding, Buffer>>>>();
  const encodingsOf = (file: string): Promise<Partial<Record<Encoding, Buffer>>> => {
    if (!encoded.has(file)) encoded.set(file, readFile(file).then(compress));
    return encoded.get(file)!;
  };
  for (const folder of Object.values(routes)) {
    for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && path.extname(entry.name) in COMPRESSIBLE_TYPES) await encodingsOf(path.join(entry.parentPath, entry.name));
    }
  }
  const server = createServer((req, res) => {
    const file = resolveRoute(routes, req.url ?? '/');
    void (async () => {
      const info = file ? await stat(file).catch(() => undefined) : undefined;
      if (!file || !info?.isFile()) {
        res.writeHead(404).end();
        return;
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      const encodings = path.extname(file) in COMPRESSIBLE_TYPES ? await encodingsOf(file) : {};
      const encoding = chooseEncoding(req.headers['accept-encoding'], new Set(Object.keys(encodings) as Encoding[]));
      if (encoding) {
        const body = encodings[encoding]!;
        res.writeHead(200, {
          'Content-Type': type,
          'Content-Encoding': encoding,
          'Content-Length': body.length,
          Vary: 'Accept-Encoding',
          'Cache-Control': 'max-age=3600',
        });
        res.end(body);
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'max-age=3600',
      });
      createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, 'localhost', resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The peers' page (bench/peers, built into `peersDist`) with their models and TF.js wasm binaries from
 * `repoRoot`'s node_modules.
 */
export function peerRoutes(repoRoot: string, peersDist: string): Routes {
  return {
    '/': peersDist,
    '/models/human/': path.join(repoRoot, 'node_modules/@vladmandic/human/models'),
    '/models/face-api/': path.join(repoRoot, 'node_modules/@vladmandic/face-api/model'),
    // Both bundles carry TF.js 4.22.0, the version of this package: their wasm binaries are these.
    '/tfjs-wasm/': path.join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  };
}
