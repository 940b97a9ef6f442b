/**
 * The app's service worker: the whole built app precached on the first visit, so the pipeline starts offline; a new
 * version waits until the user chooses to reload (src/app/PwaControls.tsx sends SKIP_WAITING), except on the first
 * visit, where it takes control at once (nothing to interrupt yet). Built by vite-plugin-pwa (injectManifest), which
 * fills in the precache list.
 */
import { clientsClaim } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { workerScriptResponses } from './features/pwa/worker-script-responses.ts';

declare const self: ServiceWorkerGlobalScope & { readonly __WB_MANIFEST: (PrecacheEntry | string)[] };

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();
addPlugins([workerScriptResponses]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
