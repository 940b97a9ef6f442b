/**
 * npm run setup:tfjs-node [-- --wheel PATH] [--pip-spec SPEC] [--cache DIR] [--force]
 *
 * Native TensorFlow for training without tfjs-node's libtensorflow 2.9.1 download: takes the TensorFlow C library
 * and headers from a pip wheel (`pip download --no-deps tensorflow-cpu==2.21.0` unless --wheel is given), places them
 * where @tensorflow/tfjs-node (an optional dependency) expects them, builds its binding from source, and checks that
 * it loads. Idempotent: a second run finds the binding built against the same wheel and stops. `npm ci` does not
 * need it; `npm ci` does remove what it built (it replaces node_modules), the wheel cache stays.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, linkSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEPS_LIB_ALIASES,
  WHEEL_INCLUDE_PREFIX,
  WHEEL_LIBRARIES,
  headerClosure,
  parseSetupArgs,
  parseWheelName,
  quotedIncludes,
  type SetupArgs,
} from './tfjs-node-wheel.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'node_modules/@tensorflow/tfjs-node');
const STAMP = path.join(pkgDir, 'deps/circumplex-build.json');
const APT_HINT = 'on Debian/Ubuntu: sudo apt-get install -y python3 python3-pip make g++';

class SetupError extends Error {}

const say = (line: string): void => void process.stdout.write(`setup:tfjs-node: ${line}\n`);

function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  return { ok: r.status === 0 && r.error === undefined, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** The tools the build needs, each with what to install when it is missing. */
function checkTools(needPip: boolean): void {
  const missing: string[] = [];
  if (!run('python3', ['--version']).ok) missing.push('python3 (node-gyp and the wheel reader run on it)');
  if (needPip && !run('python3', ['-m', 'pip', '--version']).ok) missing.push('pip for python3 (python3-pip; or pass --wheel PATH)');
  if (!run('make', ['--version']).ok) missing.push('make');
  const cxx = process.env.CXX ?? 'g++';
  if (!run(cxx, ['--version']).ok) missing.push(`a C++ compiler (${cxx}; g++ or clang++, or set CXX)`);
  if (missing.length > 0) throw new SetupError(`missing ${missing.join(', ')}: ${APT_HINT}`);
}

/** Node's headers for node-gyp: a local install's include/node, or node-gyp's own download when there is none. */
function nodedirEnv(): Record<string, string> {
  if (process.env.npm_config_nodedir) return {};
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include/node/node_api.h')) ? { npm_config_nodedir: prefix } : {};
}

/** npm ci skips tfjs-node where its libtensorflow download fails; install it without its install script. */
function ensurePackage(): void {
  if (existsSync(path.join(pkgDir, 'package.json'))) return;
  const gpuDir = path.join(root, 'node_modules/@tensorflow/tfjs-node-gpu');
  const hadGpu = existsSync(gpuDir);
  say('installing @tensorflow/tfjs-node (the optional dependency npm skipped) without its download step');
  const r = run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (!r.ok || !existsSync(path.join(pkgDir, 'package.json')))
    throw new SetupError('npm install --ignore-scripts did not install @tensorflow/tfjs-node');
  // The same lock entry brings tfjs-node-gpu, which would stay unbuilt (and be tried first by --backend auto).
  if (!hadGpu) rmSync(gpuDir, { recursive: true, force: true });
}

function pipDownload(args: SetupArgs): string {
  const dir = path.join(args.cacheDir, 'wheels');
  mkdirSync(dir, { recursive: true });
  const wanted = args.pipSpec
    .replace(/[=<>!~].*$/, '')
    .replace(/-/g, '_')
    .toLowerCase();
  const version = /==\s*([^,;\s]+)$/.exec(args.pipSpec)?.[1];
  const cached = (): string | undefined =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.whl'))
      .find((f) => {
        const w = parseWheelName(f);
        return w.distribution === wanted && (version === undefined || w.version === version);
      });
  const hit = version === undefined ? undefined : cached();
  if (hit) return path.join(dir, hit);
  say(`pip download --no-deps ${args.pipSpec} -> ${dir}`);
  const r = run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', dir, args.pipSpec], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const got = cached();
  if (!r.ok || !got) {
    throw new SetupError(
      `pip could not download ${args.pipSpec} (see pip's output above); download a TensorFlow wheel yourself and pass --wheel PATH`,
    );
  }
  return path.join(dir, got);
}

// The wheel is a zip: python3's zipfile streams members out of it (no unzip tool needed, python3 is needed anyway).
const WHEEL_TOOL = `
import json, os, shutil, sys, zipfile
cmd, wheel = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
if cmd == 'list':
    json.dump(z.namelist(), sys.stdout)
elif cmd == 'read':
    json.dump({n: z.read(n).decode('utf-8', 'replace') for n in json.load(sys.stdin)}, sys.stdout)
elif cmd == 'extract':
    for member, dest in json.load(sys.stdin):
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(member) as src, open(dest + '.part', 'wb') as out:
            shutil.copyfileobj(src, out, 1 << 20)
        os.replace(dest + '.part', dest)
`;

function wheelTool(cmd: 'list' | 'read' | 'extract', wheel: string, input?: unknown): string {
  const r = run('python3', ['-c', WHEEL_TOOL, cmd, wheel], { input: input === undefined ? '' : JSON.stringify(input) });
  if (!r.ok) throw new SetupError(`cannot read ${wheel} as a wheel: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  return r.stdout;
}

/** The binding's own #includes: the headers to take from the wheel start there. */
function bindingIncludes(): string[] {
  const dir = path.join(pkgDir, 'binding');
  return readdirSync(dir)
    .filter((f) => /\.(cc|h)$/.test(f))
    .flatMap((f) => quotedIncludes(readFileSync(path.join(dir, f), 'utf8')));
}

interface Extracted {
  dir: string;
  wheel: string;
  headers: number;
}

/** Libraries and headers out of the wheel into the cache, once per wheel. */
async function extractWheel(wheel: string, cacheDir: string): Promise<Extracted> {
  const dir = path.join(cacheDir, 'tensorflow', path.basename(wheel, '.whl'));
  const done = path.join(dir, 'extracted.json');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8')) as Extracted;
  const members = new Set(JSON.parse(wheelTool('list', wheel)) as string[]);
  const lacking = WHEEL_LIBRARIES.filter((l) => !members.has(l.member)).map((l) => l.member);
  if (lacking.length > 0)
    throw new SetupError(`${path.basename(wheel)} lacks ${lacking.join(', ')}: it is not a Linux TensorFlow wheel with the C API`);
  const inWheel = (h: string): boolean => members.has(WHEEL_INCLUDE_PREFIX + h);
  const headers = await headerClosure(bindingIncludes(), inWheel, async (batch) => {
    const texts = JSON.parse(
      wheelTool(
        'read',
        wheel,
        batch.map((h) => WHEEL_INCLUDE_PREFIX + h),
      ),
    ) as Record<string, string>;
    return new Map(Object.entries(texts));
  });
  if (!headers.includes('tensorflow/c/eager/c_api.h'))
    throw new SetupError(`${path.basename(wheel)} lacks the C API headers (tensorflow/include/tensorflow/c/eager/c_api.h)`);
  say(
    `extracting ${WHEEL_LIBRARIES.map((l) => l.file).join(', ')} and ${headers.length} C API headers from ${path.basename(wheel)} -> ${dir}`,
  );
  rmSync(dir, { recursive: true, force: true });
  wheelTool('extract', wheel, [
    ...WHEEL_LIBRARIES.map((l) => [l.member, path.join(dir, 'lib', l.file)]),
    ...headers.map((h) => [WHEEL_INCLUDE_PREFIX + h, path.join(dir, 'include', h)]),
  ]);
  const result: Extracted = { dir, wheel, headers: headers.length };
  writeFileSync(done, JSON.stringify(result, null, 2));
  return result;
}

/** A hard link where the cache and node_modules share a file system (no second 800 MB copy), a copy otherwise. */
function placeFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [a, b] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) copyTree(a, b);
    else copyFileSync(a, b);
  }
}

/** deps/lib and deps/include as tfjs-node's binding.gyp and install script expect them. */
function stageDeps(extracted: Extracted): void {
  const deps = path.join(pkgDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  const lib = path.join(deps, 'lib');
  mkdirSync(lib, { recursive: true });
  for (const l of WHEEL_LIBRARIES) placeFile(path.join(extracted.dir, 'lib', l.file), path.join(lib, l.file));
  for (const alias of DEPS_LIB_ALIASES) symlinkSync(alias.target, path.join(lib, alias.name));
  copyTree(path.join(extracted.dir, 'include'), path.join(deps, 'include'));
}

function buildBinding(): void {
  say('building the tfjs-node binding from source (node-pre-gyp, node-gyp, make)');
  const nodePreGyp = path.join(root, 'node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const r = run(process.execPath, [nodePreGyp, 'rebuild', '--build-from-source', '--build-latest-napi-version-only'], {
    cwd: pkgDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...nodedirEnv() },
  });
  if (!r.ok) {
    throw new SetupError(
      "the binding did not build (see node-gyp's output above). Without Node's headers in <node prefix>/include/node " +
        'node-gyp downloads them: set npm_config_nodedir to a Node install or source tree that has them',
    );
  }
}

interface Loaded {
  tf: string;
  backend: string;
}

/** Loads the built package in a fresh Node: the check that matters, and the TensorFlow version it reports. */
function verify(): Loaded {
  const probe =
    `const tf = require(${JSON.stringify(pkgDir)});` +
    `process.stdout.write(JSON.stringify({ tf: tf.backend().binding.TF_Version, backend: tf.getBackend() }));`;
  const r = run(process.execPath, ['-e', probe], { cwd: root, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (!r.ok) throw new SetupError(`@tensorflow/tfjs-node does not load: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(r.stdout) as Loaded;
}

interface Stamp {
  wheel: string;
  tf: string;
}

function readStamp(): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/** Built against the wanted wheel (any wheel when none is named) and loads: nothing to do. */
function alreadyBuilt(args: SetupArgs): Stamp | undefined {
  const stamp = readStamp();
  if (!stamp || args.force) return undefined;
  if (args.wheel !== undefined && path.resolve(args.wheel) !== stamp.wheel) return undefined;
  try {
    verify();
    return stamp;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const args = parseSetupArgs(process.argv.slice(2), homedir(), process.env);
  if (args.help) {
    process.stdout.write(
      `${readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('*/')[0]
        ?.replace(/^\/\*\*\n/, '')
        .replace(/^ \* ?/gm, '')}\n`,
    );
    return;
  }
  if (process.platform !== 'linux')
    throw new SetupError(`only Linux is supported (TensorFlow's wheels carry the C library on Linux); this is ${process.platform}`);
  const t0 = performance.now();
  const done = existsSync(pkgDir) ? alreadyBuilt(args) : undefined;
  if (done) {
    say(`already built against TensorFlow ${done.tf} from ${path.basename(done.wheel)} (--force rebuilds)`);
    return;
  }
  checkTools(args.wheel === undefined);
  ensurePackage();
  if (args.wheel !== undefined && !existsSync(args.wheel)) throw new SetupError(`--wheel ${args.wheel}: no such file`);
  const wheel = path.resolve(args.wheel ?? pipDownload(args));
  const extracted = await extractWheel(wheel, args.cacheDir);
  stageDeps(extracted);
  buildBinding();
  const loaded = verify();
  writeFileSync(STAMP, JSON.stringify({ wheel, tf: loaded.tf } satisfies Stamp, null, 2));
  say(
    `@tensorflow/tfjs-node loads: backend '${loaded.backend}', TensorFlow ${loaded.tf} from ${path.join(pkgDir, 'deps/lib')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`setup:tfjs-node: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
