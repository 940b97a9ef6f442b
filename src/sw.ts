/**
 * The app's service worker: the whole built app precached on the first visit, so the pipeline starts offline; a new
 * version waits until the user chooses to reload (src/app/PwaControls.tsx sends SKIP_WAITING), except on the first
 * visit, where it takes control at once (nothing to interrupt yet). Built by vite-plugin-pwa (injectManifest), which
 * fills in the precache list. Precached files and navigations are answered from the precache with one lookup
 * (precache-responder.ts); Workbox's routes answer the rest.
 */
import { cacheNames, clientsClaim } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';
import { addPlugins, cleanupOutdatedCaches, getCacheKeyForURL, precacheAndRoute } from 'workbox-precaching';
import { precacheKeyFor, precachedResponse } from './features/pwa/precache-responder.ts';
import type { PrecacheLookup } from './features/pwa/precache-responder.ts';
import { workerScriptResponses } from './features/pwa/worker-script-responses.ts';

declare const self: ServiceWorkerGlobalScope & { readonly __WB_MANIFEST: (PrecacheEntry | string)[] };

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
let precache: Promise<Cache> | undefined;
const lookup: PrecacheLookup = {
  cacheKeyFor: (url) => getCacheKeyForURL(url),
  shellUrl: new URL('index.html', self.registration.scope).href,
  openCache: () => (precache ??= caches.open(cacheNames.precache)),
};
// Before workbox's routes, which see only what this leaves (precache-responder.ts): every navigation is answered here.
self.addEventListener('fetch', (event: FetchEvent) => {
  const key = precacheKeyFor(event.request, lookup);
  if (key === undefined) return;
  event.stopImmediatePropagation();
  event.respondWith(precachedResponse(event.request, key, lookup, (request) => fetch(request)));
});
clientsClaim();
addPlugins([workerScriptResponses]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
