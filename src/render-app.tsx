/**
 * The UI: the app's components (written against React's API, run by Preact: vite.config.ts) render into the page's
 * root once main.ts has started the pipeline.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import type { PipelineLoader } from './app/live/model-loading.ts';
import { StoreProvider } from './app/store-context.tsx';
import type { AppStore } from './app/store.ts';
import type { InstallPrompt } from './features/pwa/install-prompt.ts';

export interface AppParts {
  readonly store: AppStore;
  readonly pipeline: PipelineLoader;
  readonly installPrompt: InstallPrompt;
}

export function renderApp(root: HTMLElement, { store, pipeline, installPrompt }: AppParts): void {
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App installPrompt={installPrompt} pipeline={pipeline} />
      </StoreProvider>
    </StrictMode>,
  );
}
