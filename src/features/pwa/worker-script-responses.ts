/**
 * Worker scripts answered from the precache as plain responses. Chromium never uses a code cache for a dedicated
 * worker's script, but when the script comes from CacheStorage through the service worker it still produces one on
 * every start, on the worker's thread before its code runs: 9-26 ms per worker in a trace of a returning visit
 * (Chromium's startup trace, no DevTools attached), on both workers, for a cache no visit reads. A response rebuilt
 * from the cached one has the same status, headers and body but no CacheStorage origin, so nothing is produced. The
 * page's own scripts keep theirs: Chromium does read those back.
 */
import type { WorkboxPlugin } from 'workbox-core/types.js';

/** `cached`, rebuilt when it answers a request for a worker's script (`destination`); anything else as it is. */
export function workerScriptResponse(destination: string, cached: Response | null | undefined): Response | null {
  if (!cached) return null;
  if (destination !== 'worker' && destination !== 'sharedworker') return cached;
  return new Response(cached.body, { status: cached.status, statusText: cached.statusText, headers: cached.headers });
}

/**
 * What the page asked for: the fetch event's request. The precache hands its plugins a request of its own for the
 * cache key, whose destination is always empty.
 */
function requestedDestination(event: ExtendableEvent | undefined, request: Request): string {
  const fetched = event && 'request' in event ? (event as FetchEvent).request : request;
  return fetched.destination;
}

/** The precache plugin that applies workerScriptResponse to every response it serves. */
export const workerScriptResponses: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ event, request, cachedResponse }) =>
    workerScriptResponse(requestedDestination(event, request), cachedResponse),
};
