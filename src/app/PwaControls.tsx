/// <reference types="vite-plugin-pwa/react" />
/**
 * Install button (where the browser offers installation) and the update prompt. A new version is
 * precached in the background by the service worker but only takes over when the user reloads, and the
 * reload is refused while a camera session runs: an update never interrupts a session.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import type { InstallPrompt } from '../features/pwa/install-prompt.ts';
import { useAppStore } from './store-context.tsx';
import type { AppState } from './store.ts';
import './pwa.css';

/** How often a long-open page asks the server whether a new version exists. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** A session counts as running from the camera request until it is stopped or fails. */
export const selectSessionRunning = (s: AppState): boolean => s.camera.status === 'live' || s.camera.status === 'starting';

function InstallButton({ prompt }: { prompt: InstallPrompt }) {
  const available = useSyncExternalStore(prompt.subscribe, prompt.available);
  if (!available) return null;
  return (
    <button type="button" onClick={() => void prompt.install()}>
      Install app
    </button>
  );
}

/**
 * Activates the waiting version and reloads once it controls the page. The reload is done here, on the
 * user's click, rather than by vite-plugin-pwa, which reloads on any controller change: a version activated
 * from another tab would otherwise reload this one mid-session (and on a first visit it would not reload at all).
 */
async function applyUpdate(activateWaiting: () => Promise<void>): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration?.waiting) {
    // Already activated (by another tab): this page just needs the new files.
    location.reload();
    return;
  }
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  await activateWaiting();
}

function UpdatePrompt() {
  const running = useAppStore(selectSessionRunning);
  const {
    needRefresh: [needRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update(), UPDATE_CHECK_MS);
    },
    // Never reload on the plugin's initiative (see applyUpdate).
    onNeedReload() {},
  });

  useEffect(() => {
    if (!offlineReady) return;
    const t = setTimeout(() => setOfflineReady(false), 8000);
    return () => clearTimeout(t);
  }, [offlineReady, setOfflineReady]);

  return (
    <>
      {offlineReady && (
        <p role="status" className="pwa-note" data-testid="offline-ready">
          Ready to work offline.
        </p>
      )}
      {needRefresh && (
        <div role="status" className="pwa-update" data-testid="update-available">
          <span>A new version of Circumplex is ready.</span>
          <button type="button" disabled={running} onClick={() => void (running ? undefined : applyUpdate(() => updateServiceWorker()))}>
            Reload to update
          </button>
          {running && <span className="pwa-note">Stop the camera to update: the running session is not interrupted.</span>}
        </div>
      )}
    </>
  );
}

/** With the pipeline ready but no reading yet (no face in view, no camera), how long registering still waits. */
const REGISTER_AFTER_READY_MS = 10_000;

/**
 * Whether the service worker may register yet. Its first install downloads the whole precache (about 16 MB), which
 * would compete with the app's own start for the network and the CPU; so it waits for the first reading on screen,
 * or REGISTER_AFTER_READY_MS after the pipeline is ready without one, or a loading error. Once true, stays true.
 */
function useRegistrationAllowed(): boolean {
  const firstReading = useAppStore((s) => s.firstPredictionMs !== undefined);
  const detector = useAppStore((s) => s.detector.status);
  const [allowed, setAllowed] = useState(false);
  useEffect(() => {
    const now = firstReading || detector === 'error';
    if (allowed || (!now && detector !== 'ready')) return;
    const t = setTimeout(() => setAllowed(true), now ? 0 : REGISTER_AFTER_READY_MS);
    return () => clearTimeout(t);
  }, [allowed, firstReading, detector]);
  return allowed;
}

export function PwaControls({ installPrompt }: { installPrompt: InstallPrompt }) {
  const register = useRegistrationAllowed();
  return (
    <div className="pwa-controls">
      <InstallButton prompt={installPrompt} />
      {register && <UpdatePrompt />}
    </div>
  );
}
