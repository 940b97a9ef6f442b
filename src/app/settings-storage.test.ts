import { describe, expect, it } from 'vitest';
import { parseSettings } from './settings-storage.ts';

describe('parseSettings', () => {
  it('restores the stored camera, backend and theme', () => {
    expect(parseSettings(JSON.stringify({ backend: 'webgl', theme: 'dark', deviceId: 'cam-2' }), '')).toEqual({
      backend: 'webgl',
      theme: 'dark',
      deviceId: 'cam-2',
    });
  });

  it('lets ?backend= override the stored backend, and ignores an unknown one', () => {
    expect(parseSettings(JSON.stringify({ backend: 'webgl' }), '?backend=wasm').backend).toBe('wasm');
    expect(parseSettings(JSON.stringify({ backend: 'webgl' }), '?backend=tpu').backend).toBe('webgl');
  });

  it('falls back to the defaults for corrupt or foreign values', () => {
    expect(parseSettings('{not json', '')).toEqual({ backend: 'auto', theme: 'system', deviceId: undefined });
    expect(parseSettings(JSON.stringify({ backend: 3, theme: 'neon', deviceId: '' }), '')).toEqual({
      backend: 'auto',
      theme: 'system',
      deviceId: undefined,
    });
  });
});
