import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Research } from './research.ts';
import type { ResearchState, ResearchStore } from './research-store.ts';

interface ResearchContextValue {
  readonly store: ResearchStore;
  /** The researcher tools of the running live session (undefined between live sessions). */
  readonly get: () => Research | undefined;
}

const ResearchContext = createContext<ResearchContextValue | undefined>(undefined);

export function ResearchProvider({ value, children }: { value: ResearchContextValue; children: ReactNode }) {
  return <ResearchContext.Provider value={value}>{children}</ResearchContext.Provider>;
}

function useResearchContext(): ResearchContextValue {
  const value = useContext(ResearchContext);
  if (!value) throw new Error('research components must be inside <ResearchProvider>');
  return value;
}

/** One slice of the research state. */
export function useResearch<T>(selector: (s: ResearchState) => T): T {
  return useStore(useResearchContext().store, selector);
}

export function useResearchActions(): () => Research | undefined {
  return useResearchContext().get;
}
