/**
 * Which TF.js backend runs the expression model, chosen from what the device can really do. On a machine
 * without a GPU the browser still offers WebGPU and WebGL through software renderers (SwiftShader), which
 * are 15-170x slower than wasm for this CNN (research notes §3), so those count only on real hardware.
 */

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(value: string): value is BackendName {
  return (BACKENDS as readonly string[]).includes(value);
}

export interface BackendCapabilities {
  /** navigator.gpu's adapter: none, a software fallback (isFallbackAdapter), or real hardware. */
  readonly webgpu: { readonly adapter: 'none' } | { readonly adapter: 'fallback' | 'hardware'; readonly description: string };
  /** A WebGL2 context, and its unmasked renderer string when the browser gives one. */
  readonly webgl: { readonly available: false } | { readonly available: true; readonly renderer: string };
  readonly wasm: boolean;
}

export interface BackendChoice {
  readonly backend: BackendName;
  /** Why, in words for the HUD. */
  readonly reason: string;
  /** The backends to fall back to, in order, if this one fails or its device is lost (always ends with cpu). */
  readonly fallbacks: readonly BackendName[];
}

/**
 * A backend to start now and the ones behind it, which may be found only when they are needed: the capability probe
 * (a WebGL context, a WebGPU adapter) costs tens of milliseconds of a start, and for a backend asked for in settings
 * or the URL it only orders the fallbacks.
 */
export interface BackendPlan {
  readonly backend: BackendName;
  readonly reason: string;
  readonly fallbacks: readonly BackendName[] | (() => Promise<readonly BackendName[]>);
}

/** Renderers that draw on the CPU: SwiftShader (Chromium), llvmpipe/softpipe (Mesa), Microsoft's WARP. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/** Backends worth using on this device, fastest first, each with the reason it qualifies or not. */
function assess(caps: BackendCapabilities): { usable: BackendName[]; notes: string[] } {
  const usable: BackendName[] = [];
  const notes: string[] = [];
  if (caps.webgpu.adapter === 'hardware') usable.push('webgpu');
  else
    notes.push(caps.webgpu.adapter === 'none' ? 'no WebGPU adapter' : `WebGPU adapter is a software fallback (${caps.webgpu.description})`);
  if (caps.webgl.available && !isSoftwareRenderer(caps.webgl.renderer)) usable.push('webgl');
  else notes.push(caps.webgl.available ? `WebGL renders in software (${caps.webgl.renderer})` : 'no WebGL2');
  if (caps.wasm) usable.push('wasm');
  else notes.push('no WebAssembly');
  usable.push('cpu');
  return { usable, notes };
}

/**
 * Auto: WebGPU on a hardware adapter, else WebGL on a hardware renderer, else wasm, else cpu. An override
 * (settings or ?backend=) is honoured even when the device would not have qualified (that is how WebGPU on
 * SwiftShader is tested), with the auto order behind it as fallbacks.
 */
export function chooseBackend(caps: BackendCapabilities, override?: BackendName): BackendChoice {
  const { usable, notes } = assess(caps);
  if (override) {
    return {
      backend: override,
      reason: requestedReason(override),
      fallbacks: usable.filter((b) => b !== override),
    };
  }
  const [backend, ...fallbacks] = usable as [BackendName, ...BackendName[]];
  const why: Record<BackendName, string> = {
    webgpu: caps.webgpu.adapter === 'hardware' ? `WebGPU on hardware (${caps.webgpu.description})` : 'WebGPU',
    webgl: caps.webgl.available ? `WebGL on hardware (${caps.webgl.renderer})` : 'WebGL',
    wasm: 'WebAssembly (SIMD)',
    cpu: 'plain JavaScript (slowest)',
  };
  return { backend, reason: [why[backend], ...notes].join('; '), fallbacks };
}

function requestedReason(backend: BackendName): string {
  return `${backend} chosen in settings or the URL`;
}

/**
 * `requested` (settings or ?backend=) to start at once, its fallbacks ordered by `probe` the first time they are
 * needed (it failed, or its device was lost), as chooseBackend orders them.
 */
export function requestedBackendPlan(requested: BackendName, probe: () => Promise<BackendCapabilities>): BackendPlan {
  let order: Promise<readonly BackendName[]> | undefined;
  return {
    backend: requested,
    reason: requestedReason(requested),
    fallbacks: () => (order ??= probe().then((caps) => chooseBackend(caps, requested).fallbacks)),
  };
}
