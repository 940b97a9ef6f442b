/**
 * What this browser offers for each backend, asked the way tfjs itself will use it (from the worker).
 */
import type { BackendCapabilities } from './backend-choice.ts';

async function probeWebGpu(): Promise<BackendCapabilities['webgpu']> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { adapter: 'none' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { adapter: 'none' };
    // Chromium 13x+ reports isFallbackAdapter on adapter.info; older versions on the adapter itself
    // (@webgpu/types here predates adapter.info).
    const a = adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };
    const info = a.info ?? { vendor: '', architecture: '', device: '', description: '' };
    const fallback = a.info?.isFallbackAdapter ?? a.isFallbackAdapter ?? false;
    const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    return { adapter: fallback ? 'fallback' : 'hardware', description };
  } catch {
    return { adapter: 'none' };
  }
}

function probeWebGl(): BackendCapabilities['webgl'] {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2');
    if (!gl) return { available: false };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer };
  } catch {
    return { available: false };
  }
}

export async function probeCapabilities(): Promise<BackendCapabilities> {
  return { webgpu: await probeWebGpu(), webgl: probeWebGl(), wasm: typeof WebAssembly === 'object' };
}
