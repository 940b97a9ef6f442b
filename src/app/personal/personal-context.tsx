import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Personal } from './personal.ts';
import type { PersonalState, PersonalStore } from './personal-store.ts';

interface PersonalContextValue {
  readonly store: PersonalStore;
  /** The personal calibration of the running live session (undefined between live sessions). */
  readonly get: () => Personal | undefined;
}

const PersonalContext = createContext<PersonalContextValue | undefined>(undefined);

export function PersonalProvider({ value, children }: { value: PersonalContextValue; children: ReactNode }) {
  return <PersonalContext.Provider value={value}>{children}</PersonalContext.Provider>;
}

function usePersonalContext(): PersonalContextValue {
  const value = useContext(PersonalContext);
  if (!value) throw new Error('personal calibration components must be inside <PersonalProvider>');
  return value;
}

/** One slice of the personal calibration state. */
export function usePersonal<T>(selector: (s: PersonalState) => T): T {
  return useStore(usePersonalContext().store, selector);
}

export function usePersonalActions(): () => Personal | undefined {
  return usePersonalContext().get;
}
