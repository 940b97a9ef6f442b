import { describe, expect, it } from 'vitest';
import { CameraError, toCameraError } from './camera-error.ts';

const domError = (name: string, message = ''): Error => Object.assign(new Error(message), { name });

describe('toCameraError', () => {
  it.each([
    ['NotAllowedError', 'denied', /permission was denied/],
    ['SecurityError', 'denied', /permission was denied/],
    ['NotFoundError', 'not-found', /No camera found/],
    ['OverconstrainedError', 'not-found', /No camera found/],
    ['NotReadableError', 'in-use', /in use/],
    ['AbortError', 'in-use', /in use/],
  ] as const)('maps %s to %s', (name, kind, message) => {
    const e = toCameraError(domError(name));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(message);
  });

  it('keeps the browser message for unexpected errors', () => {
    const e = toCameraError(domError('TypeError', 'constraints invalid'));
    expect(e.kind).toBe('unknown');
    expect(e.message).toContain('constraints invalid');
  });

  it('passes a CameraError through unchanged', () => {
    const e = new CameraError('in-use', 'x');
    expect(toCameraError(e)).toBe(e);
  });
});
