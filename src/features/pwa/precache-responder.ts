/**
 * The service worker's answer to a request the precache holds: the cached response, read with one cache lookup.
 * Workbox's precache route answers the same requests through its strategy and plugin chain, which builds new Request
 * objects for every response; in a trace of a returning visit that was most of the service worker's time, on the
 * critical path of every file the page and its workers load (the service worker answers them one at a time). Anything
 * this does not answer (not precached, not a GET, missing from the cache) is left to workbox's routes as before.
 */
import { workerScriptResponse } from './worker-script-responses.ts';

export interface PrecacheLookup {
  /** The precache's key for an absolute URL (workbox's getCacheKeyForURL), undefined when it is not precached. */
  readonly cacheKeyFor: (url: string) => string | undefined;
  /** The URL every navigation is answered with (the app shell). */
  readonly shellUrl: string;
  /** The precache itself. */
  readonly openCache: () => Promise<Cache>;
}

/** What a request is answered with from the precache: its key, or undefined when workbox's routes should see it. */
export function precacheKeyFor(request: Pick<Request, 'method' | 'mode' | 'url'>, lookup: PrecacheLookup): string | undefined {
  if (request.method !== 'GET') return undefined;
  return lookup.cacheKeyFor(request.mode === 'navigate' ? lookup.shellUrl : request.url);
}

/**
 * The cached response for `key`, as the page gets it (a worker's script rebuilt: worker-script-responses.ts); the
 * network's when the entry has gone from the cache.
 */
export async function precachedResponse<R extends Pick<Request, 'destination'>>(
  request: R,
  key: string,
  lookup: Pick<PrecacheLookup, 'openCache'>,
  fetchFromNetwork: (request: R) => Promise<Response>,
): Promise<Response> {
  const cached = await (await lookup.openCache()).match(key);
  return workerScriptResponse(request.destination, cached) ?? fetchFromNetwork(request);
}
