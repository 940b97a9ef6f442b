/**
 * TF.js registers its model stores as tfjs-core loads (dist/platforms/platform_browser.js). The localStorage store
 * reads `window.localStorage`, and in a worker, which has no `window`, that throws a ReferenceError that TF.js catches
 * and ignores: the store is simply not registered. Both of the app's workers load tfjs-core, so each threw it at
 * every start. Where DevTools is attached (Playwright attaches it to every worker, so in every test and benchmark run),
 * V8 records the full stack of each Error, and the stack of this one holds the worker's whole bundled module, which V8
 * then parses a second time for its source positions: 55-75 ms of each worker's start in a trace of a warm start.
 * Without DevTools, a trace of the same start shows no such parse.
 *
 * This transform registers the localStorage store only where `window` exists: the same stores as before everywhere,
 * without the throw. The build fails if tfjs-core's code no longer reads as expected.
 */
import type { Plugin } from 'vite';

const PLATFORM_BROWSER = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/]platforms[\\/]platform_browser\.js$/;
const LOCAL_STORAGE_REGISTRATION =
  /\btry \{(\s*)ModelStoreManagerRegistry\.registerManager\(BrowserLocalStorage\.URL_SCHEME, new BrowserLocalStorageManager\(\)\);/;

/** `code` (tfjs-core's platform_browser.js) with the localStorage store registered only where `window` exists. */
export function guardLocalStorageStore(code: string, file: string): string {
  if (!LOCAL_STORAGE_REGISTRATION.test(code))
    throw new Error(`${file}: the localStorage model store's registration was not found (tfjs-core changed?)`);
  // On the same line as the `try`, so no line moves.
  return code.replace(LOCAL_STORAGE_REGISTRATION, (registration) => `if (typeof window !== 'undefined') ${registration}`);
}

export function tfjsWorkerPlatform(): Plugin {
  return {
    name: 'circumplex-tfjs-worker-platform',
    transform(code, id) {
      if (!PLATFORM_BROWSER.test(id)) return null;
      // Columns move on one line only; the module's lines and the rest of its source map stay as they are.
      return { code: guardLocalStorageStore(code, id), map: null };
    },
  };
}
