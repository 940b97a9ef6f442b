/** The personal calibration's state: a small vanilla store of its own, read by components through narrow slices. */
import { createStore } from 'zustand/vanilla';
import type { CaptureState } from '../../features/calibration/capture.ts';
import type { Profile } from '../../features/calibration/profile.ts';

export type PersonalStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'capturing'; readonly capture: CaptureState; readonly now: number }
  | { readonly kind: 'fitting' }
  /** The capture could not be used (the guard, or a failed step after cancelling): the shipped model or the previous profile stays. */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'saved'; readonly name: string; readonly message: string };

export interface PersonalState {
  readonly status: PersonalStatus;
  readonly profiles: readonly Profile[];
  /** The profile applied to live readings; undefined: the shipped model. */
  readonly activeId: string | undefined;
  readonly storage: 'opening' | 'ready' | 'unavailable';
  /** The last storage problem, shown until the next action. */
  readonly problem: string | undefined;
}

export type PersonalStore = ReturnType<typeof createPersonalStore>;

export function createPersonalStore() {
  return createStore<PersonalState>()(() => ({
    status: { kind: 'idle' },
    profiles: [],
    activeId: undefined,
    storage: 'opening',
    problem: undefined,
  }));
}
