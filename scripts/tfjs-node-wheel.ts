/**
 * What `npm run setup:tfjs-node` takes from a TensorFlow pip wheel and where it puts it in @tensorflow/tfjs-node:
 * pure functions, so that the choices are tested without a 270 MB wheel.
 *
 * A Linux TensorFlow wheel (tensorflow-cpu, or tensorflow with CUDA) holds `tensorflow/libtensorflow_cc.so.2`, which
 * exports the C API that tfjs-node's binding calls (TFE_NewContext, TFE_Execute, ...), the framework library it
 * needs, and the C headers under `tensorflow/include/`. See docs: research notes, section 6.
 */

/** The wheel's members that hold the two shared libraries, and their file names once extracted. */
export const WHEEL_LIBRARIES = [
  { member: 'tensorflow/libtensorflow_cc.so.2', file: 'libtensorflow_cc.so.2' },
  { member: 'tensorflow/libtensorflow_framework.so.2', file: 'libtensorflow_framework.so.2' },
] as const;

/** Headers live under this prefix in the wheel; the binding includes them relative to it. */
export const WHEEL_INCLUDE_PREFIX = 'tensorflow/include/';

/**
 * The names tfjs-node 4.22.0 looks for in its deps/lib, each pointing at one of the extracted libraries:
 * - `libtensorflow.so` and `libtensorflow_framework.so`: what binding.gyp links (`-ltensorflow -ltensorflow_framework`);
 *   the binding then records the libraries' own sonames (libtensorflow_cc.so.2, libtensorflow_framework.so.2) and
 *   finds them through its rpath `$ORIGIN/../../deps/lib`.
 * - `libtensorflow.so.2.9.1`: what its scripts/install.js checks before downloading libtensorflow 2.9.1, so a later
 *   `npm rebuild @tensorflow/tfjs-node` keeps this library instead of trying the download.
 */
export const DEPS_LIB_ALIASES: readonly { name: string; target: string }[] = [
  { name: 'libtensorflow.so', target: 'libtensorflow_cc.so.2' },
  { name: 'libtensorflow_framework.so', target: 'libtensorflow_framework.so.2' },
  { name: 'libtensorflow.so.2.9.1', target: 'libtensorflow_cc.so.2' },
];

/** `#include "a/b.h"` targets of a C or C++ source (system includes in <> are the compiler's). */
export function quotedIncludes(source: string): string[] {
  return [...source.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((m) => m[1]!);
}

/**
 * Every header the roots need, following quoted includes that the wheel holds (names relative to the include
 * prefix). Includes the wheel lacks are left out: the binding's own headers, or C++-only headers under #ifdef.
 * `read` is given each round's new headers at once (one wheel read per round).
 */
export async function headerClosure(
  roots: readonly string[],
  inWheel: (header: string) => boolean,
  read: (headers: readonly string[]) => Promise<Map<string, string>>,
): Promise<string[]> {
  const found = new Set<string>();
  let frontier = [...new Set(roots.filter(inWheel))];
  while (frontier.length > 0) {
    frontier.forEach((h) => found.add(h));
    const texts = await read(frontier);
    const next = new Set<string>();
    for (const text of texts.values()) {
      for (const inc of quotedIncludes(text)) if (!found.has(inc) && inWheel(inc)) next.add(inc);
    }
    frontier = [...next];
  }
  return [...found].sort();
}

export interface WheelName {
  distribution: string;
  version: string;
}

/** A wheel's distribution and version from its file name (PEP 427: `{name}-{version}-...-{platform}.whl`). */
export function parseWheelName(file: string): WheelName {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  const m = /^([A-Za-z0-9_.]+)-([0-9][^-]*)-.+\.whl$/.exec(base);
  if (!m) throw new Error(`${base} is not a wheel file name (expected name-version-...-platform.whl)`);
  return { distribution: m[1]!.toLowerCase(), version: m[2]! };
}

export interface SetupArgs {
  /** A wheel to use instead of downloading one (e.g. a CUDA build of `tensorflow`). */
  wheel?: string;
  /** What `pip download` fetches when no wheel is given. */
  pipSpec: string;
  /** Downloaded wheels and the libraries and headers extracted from them. */
  cacheDir: string;
  /** Rebuild even when the binding is already built against this wheel. */
  force: boolean;
  help: boolean;
}

/** The TensorFlow this project's setup is checked with: a newer one may rename what the binding needs. */
export const DEFAULT_PIP_SPEC = 'tensorflow-cpu==2.21.0';

export function parseSetupArgs(argv: readonly string[], home: string, env: Readonly<Record<string, string | undefined>>): SetupArgs {
  const args: SetupArgs = {
    pipSpec: DEFAULT_PIP_SPEC,
    cacheDir: env.CIRCUMPLEX_CACHE ?? `${env.XDG_CACHE_HOME ?? `${home}/.cache`}/circumplex`,
    force: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--wheel') args.wheel = value();
    else if (flag === '--pip-spec') args.pipSpec = value();
    else if (flag === '--cache') args.cacheDir = value();
    else if (flag === '--force') args.force = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else throw new Error(`unknown option ${flag} (options: --wheel PATH, --pip-spec SPEC, --cache DIR, --force)`);
  }
  return args;
}
