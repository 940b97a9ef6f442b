/**
 * What the figures were measured on: machine, load, browser, GPU adapters, package versions and commit,
 * and which TF.js backends are worth measuring here (a software WebGL renderer or a fallback WebGPU
 * adapter is correct but tens of times slower than wasm, so `auto` leaves them out and says why).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';

export interface Adapters {
  /** WebGL's unmasked renderer string, or why there is none. */
  readonly webgl: string;
  readonly webglSoftware: boolean;
  /** The WebGPU adapter, or why there is none. */
  readonly webgpu: string;
  readonly webgpuUsable: boolean;
}

/** Probes WebGL and WebGPU in a page of `url` (a secure context: WebGPU needs one). */
export async function probeAdapters(browser: Browser, url: string): Promise<Adapters> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await page.evaluate(async () => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      const webgl = gl ? String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'no WebGL2 context';
      const gpu = (
        navigator as unknown as {
          gpu?: {
            requestAdapter(): Promise<{
              info?: { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean };
            } | null>;
          };
        }
      ).gpu;
      const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
      const info = adapter?.info;
      const webgpu = !gpu
        ? 'no navigator.gpu'
        : !adapter
          ? 'no adapter'
          : `${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unnamed adapter'}${info?.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
      return {
        webgl,
        webglSoftware: /swiftshader|llvmpipe|software/i.test(webgl),
        webgpu,
        webgpuUsable: adapter !== null && adapter !== undefined && info?.isFallbackAdapter !== true && !/swiftshader/i.test(webgpu),
      };
    });
  } finally {
    await context.close();
  }
}

/** `auto`: wasm, plus webgl and webgpu where they run on real hardware; otherwise the listed names. */
export function chooseBackends(flag: string, adapters: Adapters): { backends: string[]; skipped: string[] } {
  if (flag !== 'auto') return { backends: flag.split(',').filter(Boolean), skipped: [] };
  const backends = ['wasm'];
  const skipped: string[] = [];
  if (adapters.webglSoftware) skipped.push(`webgl: software renderer (${adapters.webgl}); force it with --backends wasm,webgl`);
  else backends.push('webgl');
  if (adapters.webgpuUsable) backends.push('webgpu');
  else skipped.push(`webgpu: ${adapters.webgpu}; force it with --backends wasm,webgpu (and --enable-unsafe-webgpu is passed)`);
  return { backends, skipped };
}

export function packageVersion(repoRoot: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function gitCommit(repoRoot: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
