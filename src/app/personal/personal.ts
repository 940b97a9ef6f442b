/**
 * "Calibrate to me" outside React: runs the guided capture on the live session's frames (features/calibration/capture.ts),
 * has the pipeline worker fit the correction, stores accepted profiles in IndexedDB and applies the chosen one.
 * Cancelling at any point changes nothing. The chosen profile's id survives reloads in localStorage.
 */
import type { CalibrationFrame } from '../../core/personal-head.ts';
import { openProfileDb, type ProfileDb } from '../../features/calibration/profile-db.ts';
import { parameterHash, profileForExport, profileKey, type ExportedProfile, type Profile } from '../../features/calibration/profile.ts';
import type { LiveSession } from '../live/live-session.ts';
import { createGuidedCapture } from './guided-capture.ts';
import type { PersonalState, PersonalStatus, PersonalStore } from './personal-store.ts';

export interface Personal {
  /** Starts the guided capture (disgust and fear too when `includeOptional`). */
  start(includeOptional: boolean): void;
  /** The person is ready for the expression asked for: its countdown starts. */
  ready(): void;
  /** Retries the failed step of the capture. */
  retry(): void;
  /** Stops the capture; nothing is stored or changed. */
  cancel(): void;
  /** Applies a stored profile to live readings; undefined: the shipped model. */
  use(id: string | undefined): void;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** The applied profile by the key frames carry, for recordings. */
  exported(key: string): ExportedProfile | undefined;
  dispose(): void;
}

const ACTIVE_KEY = 'circumplex.profile';

function storedActiveId(): string | undefined {
  try {
    return localStorage.getItem(ACTIVE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeActiveId(id: string | undefined): void {
  try {
    if (id) localStorage.setItem(ACTIVE_KEY, id);
    else localStorage.removeItem(ACTIVE_KEY);
  } catch {
    // Storage can be disabled: the choice then lasts for the page only.
  }
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const pct = (x: number): string => `${Math.round(x * 100)}%`;

interface FitContext {
  readonly live: LiveSession;
  readonly db: Promise<ProfileDb | undefined>;
  /** False once the fit was cancelled (or the calibration disposed) while the worker was fitting. */
  readonly stillFitting: () => boolean;
  readonly profileCount: () => number;
  /** The new profile is stored: `profiles` is the stored list now. */
  readonly onSaved: (profiles: readonly Profile[], saved: Profile) => void;
}

/** Fits a correction to the captured frames, stores it when its check accepts it; undefined: cancelled meanwhile. */
async function fitProfile(frames: readonly CalibrationFrame[], ctx: FitContext): Promise<PersonalStatus | undefined> {
  const { head, verdict, ms } = await ctx.live.fitPersonalHead(frames);
  if (!ctx.stillFitting()) return undefined;
  if (!verdict.accepted) return { kind: 'refused', message: `Not used: ${verdict.reason}. The readings are unchanged.` };
  const n = ctx.profileCount() + 1;
  const profile: Profile = {
    id: crypto.randomUUID(),
    name: `Profile ${n}`,
    createdAt: new Date().toISOString(),
    hash: await parameterHash(head),
    head,
    verdict,
    frames: frames.length,
  };
  const opened = await ctx.db;
  if (!opened) throw new Error('this browser cannot store it');
  await opened.save(profile);
  ctx.onSaved(await opened.list(), profile);
  return {
    kind: 'saved',
    name: profile.name,
    message: `Calibrated on ${frames.length} frames in ${(ms / 1000).toFixed(2)} s: it reads ${pct(verdict.personalAccuracy)} of them right, the shipped model ${pct(verdict.shippedAccuracy)}.`,
  };
}

/** The stored profiles, listed into the store once open, and the one chosen last applied. */
function openProfiles(
  set: (patch: Partial<PersonalState>) => void,
  apply: (id: string | undefined) => void,
): Promise<ProfileDb | undefined> {
  return openProfileDb().then(
    async (opened) => {
      set({ storage: 'ready', profiles: await opened.list() });
      apply(storedActiveId());
      return opened;
    },
    (e: unknown) => {
      set({ storage: 'unavailable', problem: `Personal calibrations cannot be stored in this browser: ${describe(e)}` });
      return undefined;
    },
  );
}

export function createPersonal(store: PersonalStore, live: LiveSession): Personal {
  let disposed = false;
  const set = (patch: Partial<PersonalState>): void => {
    if (!disposed) store.setState(patch);
  };
  const apply = (id: string | undefined): void => {
    const profile = store.getState().profiles.find((p) => p.id === id);
    live.setProfile(profile ? { key: profileKey(profile), head: profile.head } : undefined);
    set({ activeId: profile?.id });
  };
  const ready = openProfiles(set, apply);
  const choose = (id: string | undefined): void => {
    storeActiveId(id);
    apply(id);
  };
  const fitContext: FitContext = {
    live,
    db: ready,
    stillFitting: () => !disposed && store.getState().status.kind === 'fitting',
    profileCount: () => store.getState().profiles.length,
    onSaved: (profiles, saved) => {
      set({ profiles });
      choose(saved.id);
    },
  };
  const fit = async (frames: readonly CalibrationFrame[]): Promise<void> => {
    set({ status: { kind: 'fitting' } });
    try {
      const status = await fitProfile(frames, fitContext);
      if (status) set({ status });
    } catch (e) {
      set({ status: { kind: 'refused', message: `The calibration could not be completed: ${describe(e)}. The readings are unchanged.` } });
    }
  };
  const capture = createGuidedCapture(store, set, live, (frames) => void fit(frames));

  return {
    start: (includeOptional) => capture.start(includeOptional),
    ready: () => capture.ready(),
    retry: () => capture.retry(),
    cancel() {
      capture.stop();
      set({ status: { kind: 'idle' } });
    },
    use: choose,
    async rename(id, name) {
      const opened = await ready;
      if (!opened || !name.trim()) return;
      try {
        await opened.rename(id, name.trim());
        set({ profiles: await opened.list(), problem: undefined });
      } catch (e) {
        set({ problem: describe(e) });
      }
    },
    async remove(id) {
      const opened = await ready;
      if (!opened) return;
      if (store.getState().activeId === id) choose(undefined);
      await opened.remove(id);
      set({ profiles: await opened.list() });
    },
    exported(key) {
      const profile = store.getState().profiles.find((p) => profileKey(p) === key);
      return profile ? profileForExport(profile) : undefined;
    },
    dispose() {
      disposed = true;
      capture.dispose();
      void ready.then((d) => d?.close());
    },
  };
}
