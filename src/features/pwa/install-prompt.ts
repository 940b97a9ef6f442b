/**
 * The browser's "install this app" offer (Chromium's `beforeinstallprompt`), captured as early as
 * possible: the event can fire before React mounts, and it is offered once per page load. React reads it
 * through useSyncExternalStore (`subscribe` / `available`).
 */

/** Chromium's BeforeInstallPromptEvent; not in TypeScript's DOM lib. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ readonly outcome: 'accepted' | 'dismissed'; readonly platform: string }>;
}

export interface InstallPrompt {
  subscribe(listener: () => void): () => void;
  /** Whether the browser currently offers installation. */
  available(): boolean;
  /** Shows the browser's install dialog; resolves with the user's answer ('unavailable' when nothing is offered). */
  install(): Promise<'accepted' | 'dismissed' | 'unavailable'>;
}

export function createInstallPrompt(target: Window): InstallPrompt {
  let offer: BeforeInstallPromptEvent | undefined;
  const listeners = new Set<() => void>();
  const set = (next: BeforeInstallPromptEvent | undefined): void => {
    offer = next;
    for (const l of listeners) l();
  };
  target.addEventListener('beforeinstallprompt', (e) => {
    // Keep the browser's own mini-infobar away; the app shows its button instead.
    e.preventDefault();
    set(e as BeforeInstallPromptEvent);
  });
  target.addEventListener('appinstalled', () => set(undefined));
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    available: () => offer !== undefined,
    async install() {
      if (!offer) return 'unavailable';
      const current = offer;
      // An offer can be prompted only once.
      set(undefined);
      await current.prompt();
      return (await current.userChoice).outcome;
    },
  };
}
