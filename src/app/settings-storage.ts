/**
 * Settings survive reloads in localStorage; `?backend=webgpu|webgl|wasm|cpu|auto` in the URL overrides the
 * stored backend for that page (how tests and bug reports pin a backend).
 */
import { isBackendName } from '../features/inference/backend-choice.ts';
import { DEFAULT_SETTINGS } from './store.ts';
import type { Settings, Theme } from './store.ts';

const KEY = 'circumplex.settings';

function isTheme(v: unknown): v is Theme {
  return v === 'system' || v === 'dark' || v === 'light';
}

export function parseSettings(stored: string | null, search: string): Settings {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    // A corrupt entry falls back to the defaults rather than breaking the app.
  }
  const backendParam = new URLSearchParams(search).get('backend') ?? undefined;
  const backend = [backendParam, raw.backend].find(
    (b): b is Settings['backend'] => typeof b === 'string' && (b === 'auto' || isBackendName(b)),
  );
  return {
    backend: backend ?? DEFAULT_SETTINGS.backend,
    theme: isTheme(raw.theme) ? raw.theme : DEFAULT_SETTINGS.theme,
    deviceId: typeof raw.deviceId === 'string' && raw.deviceId ? raw.deviceId : undefined,
  };
}

export function loadSettings(): Settings {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch {
    // Storage can be disabled (private modes); settings then last for the page only.
  }
  return parseSettings(stored, location.search);
}

export function saveSettings(settings: Settings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // See loadSettings.
  }
}
