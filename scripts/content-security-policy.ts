/**
 * The app's Content-Security-Policy: nothing but the app's own origin, so no frame, number or request can
 * reach another server even if a dependency tried (research notes §3: tasks-vision 1.x posts usage logs).
 * Each exception below is one the app was seen to need in Chromium; the e2e test `privacy.spec.ts` fails
 * on any violation during a full session.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  // Compiling the TF.js wasm binaries; no eval of JavaScript.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'"],
  // The camera picture reaches <video> as a MediaStream (srcObject), which needs no media-src entry.
  'img-src': ["'self'", 'data:', 'blob:'],
  // A video file chosen for analysis plays from an in-memory blob: URL (it never leaves the device).
  'media-src': ["'self'", 'blob:'],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

export function contentSecurityPolicy(directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
