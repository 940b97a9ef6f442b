import { describe, expect, it } from 'vitest';
import { chooseBackend, isSoftwareRenderer, requestedBackendPlan } from './backend-choice.ts';
import type { BackendCapabilities } from './backend-choice.ts';

const SWIFTSHADER_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';

const caps = (over: Partial<BackendCapabilities>): BackendCapabilities => ({
  webgpu: { adapter: 'none' },
  webgl: { available: false },
  wasm: true,
  ...over,
});

describe('chooseBackend', () => {
  it('takes WebGPU on a hardware adapter, with WebGL and wasm behind it', () => {
    const c = chooseBackend(
      caps({ webgpu: { adapter: 'hardware', description: 'nvidia ampere' }, webgl: { available: true, renderer: NVIDIA_GL } }),
    );
    expect(c.backend).toBe('webgpu');
    expect(c.fallbacks).toEqual(['webgl', 'wasm', 'cpu']);
    expect(c.reason).toContain('nvidia ampere');
  });

  it('skips a fallback (software) WebGPU adapter for hardware WebGL', () => {
    const c = chooseBackend(
      caps({ webgpu: { adapter: 'fallback', description: 'swiftshader' }, webgl: { available: true, renderer: NVIDIA_GL } }),
    );
    expect(c.backend).toBe('webgl');
    expect(c.reason).toMatch(/software fallback/);
  });

  it('uses wasm when both GPU paths are software (this machine: SwiftShader)', () => {
    const c = chooseBackend(
      caps({ webgpu: { adapter: 'fallback', description: 'swiftshader' }, webgl: { available: true, renderer: SWIFTSHADER_GL } }),
    );
    expect(c.backend).toBe('wasm');
    expect(c.fallbacks).toEqual(['cpu']);
    expect(c.reason).toMatch(/WebGL renders in software/);
  });

  it('ends at cpu without WebAssembly', () => {
    expect(chooseBackend(caps({ wasm: false })).backend).toBe('cpu');
  });

  it('honours an override even on a device that would not qualify, keeping the auto order as fallbacks', () => {
    const c = chooseBackend(caps({ webgpu: { adapter: 'fallback', description: 'swiftshader' } }), 'webgpu');
    expect(c.backend).toBe('webgpu');
    expect(c.fallbacks).toEqual(['wasm', 'cpu']);
    expect(c.reason).toMatch(/chosen in settings or the URL/);
  });
});

describe('requestedBackendPlan', () => {
  it('starts the backend asked for without probing, and orders its fallbacks as chooseBackend does, probing once', async () => {
    const device = caps({ webgpu: { adapter: 'fallback', description: 'swiftshader' }, webgl: { available: true, renderer: NVIDIA_GL } });
    let probes = 0;
    const plan = requestedBackendPlan('wasm', () => {
      probes++;
      return Promise.resolve(device);
    });
    expect(plan.backend).toBe('wasm');
    expect(plan.reason).toBe(chooseBackend(device, 'wasm').reason);
    expect(probes).toBe(0);
    const fallbacks = plan.fallbacks as () => Promise<readonly string[]>;
    expect(await fallbacks()).toEqual(chooseBackend(device, 'wasm').fallbacks);
    expect(await fallbacks()).toEqual(['webgl', 'cpu']);
    expect(probes).toBe(1);
  });
});

describe('isSoftwareRenderer', () => {
  it.each([
    [SWIFTSHADER_GL, true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['Microsoft Basic Render Driver', true],
    [NVIDIA_GL, false],
    ['Apple M2', false],
  ])('%s -> %s', (renderer, software) => {
    expect(isSoftwareRenderer(renderer)).toBe(software);
  });
});
