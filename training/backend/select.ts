import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from './tf.ts';
import { registerWasmTrainingKernels } from './wasm-gradients.ts';
import { registerTfjsNodeKernels } from './tfjs-node-kernels.ts';

/** What `--backend` accepts. */
export const BACKEND_REQUESTS = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** Auto tries these in order and takes the first that loads. */
export const AUTO_ORDER: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The backend now active in the shared engine. */
  name: BackendName;
  /** Why it was chosen and what it runs on, in words. */
  reason: string;
  /** For auto: the backends tried before it and why each was passed over. */
  skipped: { name: BackendName; why: string }[];
}

export interface SelectOptions {
  /** Where the one-line choice is printed; console.log by default. */
  log?: (line: string) => void;
}

/** A backend that was asked for by name cannot run here; `why` says what is missing. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly why: string,
  ) {
    super(`--backend ${backend} cannot be used: ${why}`);
    this.name = 'BackendUnavailableError';
  }
}

type Attempt = { ok: true; reason: string } | { ok: false; why: string };

const require = createRequire(import.meta.url);

// tfjs-node and tfjs-node-gpu both register the 'tensorflow' backend, each over its own native libtensorflow:
// the first one loaded owns the process.
type NativeFlavour = 'tfjs-node' | 'tfjs-node-gpu';
let nativeFlavour: NativeFlavour | undefined;

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

// A specifier held in a variable: the packages below are optional and usually absent, so neither TypeScript nor
// the test runner may resolve them ahead of time.
async function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

const NATIVE_HINTS: Record<NativeFlavour, string> = {
  'tfjs-node-gpu':
    'it needs CUDA 11.2 + cuDNN 8.1 and downloads libtensorflow when installed ' +
    '(npm install @tensorflow/tfjs-node-gpu@4.22.0); with a current CUDA, build tfjs-node against a CUDA TensorFlow ' +
    'wheel instead (npm run setup:tfjs-node -- --wheel PATH); try --backend webgpu or wasm',
  'tfjs-node':
    'build it against the TensorFlow pip wheel with `npm run setup:tfjs-node` (its own install downloads ' +
    'libtensorflow 2.9.1, which fails where that download is blocked); try --backend wasm',
};

async function tryNative(flavour: NativeFlavour): Promise<Attempt> {
  const pkg = `@tensorflow/${flavour}`;
  if (!isInstalled(pkg)) return { ok: false, why: `${flavour} is not installed: ${NATIVE_HINTS[flavour]}` };
  if (nativeFlavour !== undefined && nativeFlavour !== flavour) {
    return {
      ok: false,
      why:
        `${nativeFlavour} is already loaded in this process and only one tfjs flavour may be: ` +
        `${flavour} would bring a second native TensorFlow; run a new process with --backend ${flavour}`,
    };
  }
  // TensorFlow's C++ INFO lines (oneDNN on, CPU features) go to stderr on load; warnings and errors still show.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  try {
    nativeFlavour = flavour;
    await importOptional(pkg);
  } catch (error) {
    // The binding failed to open (not built, or its libtensorflow missing): no native TensorFlow is in the process.
    nativeFlavour = undefined;
    return { ok: false, why: `${pkg} is installed but failed to load (${message(error)}): ${NATIVE_HINTS[flavour]}` };
  }
  if (!(await tf.setBackend('tensorflow'))) {
    return { ok: false, why: `${pkg} loaded but its 'tensorflow' backend did not initialise` };
  }
  registerTfjsNodeKernels();
  const what = flavour === 'tfjs-node-gpu' ? 'native TensorFlow with CUDA' : 'native TensorFlow on the CPU';
  return { ok: true, reason: `${what} (${flavour}): ${describeNativeTensorFlow(pkg)}` };
}

/** The TensorFlow version the native backend reports; undefined before tfjs-node(-gpu) has loaded. */
export function nativeTensorFlowVersion(): string | undefined {
  const backend: unknown = tf.findBackend('tensorflow');
  const binding = (backend as { binding?: { TF_Version?: unknown } } | null)?.binding;
  return typeof binding?.TF_Version === 'string' ? binding.TF_Version : undefined;
}

/** The libtensorflow this process mapped (Linux), else the package's deps/lib where its binding looks for it. */
function nativeLibraryPath(pkg: string): string {
  try {
    const mapped = /\s(\/\S*libtensorflow(?:_cc)?\.(?:so|dylib)\S*)$/m.exec(readFileSync('/proc/self/maps', 'utf8'));
    if (mapped?.[1]) return mapped[1];
  } catch {
    // Not Linux: no /proc.
  }
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'deps', 'lib');
}

function describeNativeTensorFlow(pkg: string): string {
  const threads = ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS']
    .map((v) => (process.env[v] ? `${v}=${process.env[v]}` : ''))
    .filter(Boolean);
  return `TensorFlow ${nativeTensorFlowVersion() ?? '(version unknown)'} from ${nativeLibraryPath(pkg)}${threads.length ? `, ${threads.join(' ')}` : ''}`;
}

// Structural types for the parts of the `webgpu` package (Dawn for Node) used here.
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

function isDawnModule(value: unknown): value is DawnModule {
  const m = value as Partial<DawnModule> | null;
  return typeof m?.create === 'function' && typeof m.globals === 'object' && m.globals !== null;
}

/** Software rasterisers that implement Vulkan/D3D12 on the CPU: correct, but slower than wasm for training. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

function describeAdapter(adapter: AdapterLike): { text: string; software: boolean } {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.description].filter((p): p is string => !!p);
  const text = parts.length > 0 ? parts.join(' / ') : 'unnamed adapter';
  const software = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(text);
  return { text, software };
}

/** Makes Dawn's GPU object the `navigator.gpu` that @tensorflow/tfjs-backend-webgpu looks for. */
function exposeGpu(dawn: DawnModule, gpu: GpuLike): void {
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (nav.gpu === undefined) {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  }
}

let webgpuGpu: GpuLike | undefined;

async function tryWebgpu(requireHardware: boolean): Promise<Attempt> {
  if (!isInstalled('webgpu')) {
    return { ok: false, why: "the optional package 'webgpu' (Dawn for Node) is not installed (npm install webgpu@0.6.2)" };
  }
  let adapter: AdapterLike | null;
  let dawn: unknown;
  try {
    dawn = await importOptional('webgpu');
    if (!isDawnModule(dawn)) return { ok: false, why: "the 'webgpu' package does not export create() and globals" };
    webgpuGpu ??= dawn.create([]);
    adapter = await webgpuGpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ok: false, why: `Dawn failed to start (${message(error)})` };
  }
  if (adapter === null) {
    return { ok: false, why: 'no WebGPU adapter: no Vulkan, Metal or D3D12 driver was found; try --backend wasm' };
  }
  const { text, software } = describeAdapter(adapter);
  if (software && requireHardware) {
    return { ok: false, why: `the only adapter is software (${text}): correct, but slower than wasm` };
  }
  exposeGpu(dawn, webgpuGpu);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') === null) {
    return { ok: false, why: '@tensorflow/tfjs-backend-webgpu did not register (navigator.gpu missing at import)' };
  }
  if (!(await tf.setBackend('webgpu'))) return { ok: false, why: `the webgpu backend failed to initialise on ${text}` };
  return {
    ok: true,
    reason: software ? `WebGPU on a software adapter (${text}): expect it to be slow` : `WebGPU on ${text}`,
  };
}

function wasmBinaryDirectory(): string {
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

async function tryWasm(): Promise<Attempt> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the binary is read from disk: the prefix is a file path, not a URL.
    wasm.setWasmPaths(wasmBinaryDirectory());
    registerWasmTrainingKernels();
    if (!(await tf.setBackend('wasm'))) return { ok: false, why: 'the wasm backend failed to initialise' };
  } catch (error) {
    return { ok: false, why: `the wasm backend failed to load (${message(error)})` };
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return {
    ok: true,
    reason: `WebAssembly (XNNPACK, ${simd ? 'SIMD' : 'no SIMD'}, one thread: tfjs disables wasm threads in Node)`,
  };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, why: 'the cpu backend failed to initialise' };
  return { ok: true, reason: 'pure JavaScript (about 200x slower than wasm when training a CNN)' };
}

function attempt(name: BackendName, auto: boolean): Promise<Attempt> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node':
      return tryNative(name);
    case 'webgpu':
      return tryWebgpu(auto);
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return tryCpu();
  }
}

export function isBackendRequest(value: string): value is BackendRequest {
  return (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/**
 * Makes one backend active for this process and says which and why. 'auto' takes the first of AUTO_ORDER that
 * loads (webgpu only on a hardware adapter); a named backend that cannot load throws BackendUnavailableError.
 */
export async function selectBackend(request: BackendRequest, options: SelectOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!isBackendRequest(request)) {
    throw new Error(`--backend must be one of ${BACKEND_REQUESTS.join(', ')}; got '${String(request)}'`);
  }
  const skipped: BackendChoice['skipped'] = [];
  const candidates = request === 'auto' ? AUTO_ORDER : [request];
  for (const name of candidates) {
    const result = await attempt(name, request === 'auto');
    if (!result.ok) {
      if (request !== 'auto') throw new BackendUnavailableError(name, result.why);
      skipped.push({ name, why: result.why });
      continue;
    }
    await tf.ready();
    const choice: BackendChoice = { name, reason: result.reason, skipped };
    log(formatChoice(choice, request));
    return choice;
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`);
}

export function formatChoice(choice: BackendChoice, request: BackendRequest): string {
  const how = request === 'auto' ? 'chosen by --backend auto' : 'as requested';
  const passed = choice.skipped.map((s) => `\n  skipped ${s.name}: ${s.why}`).join('');
  return `backend: ${choice.name} (${how}): ${choice.reason}${passed}`;
}
