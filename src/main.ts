/**
 * The page's entry: the smallest module that can start the pipeline. It creates the store and starts both workers,
 * the downloads and the wasm runtimes, then loads the UI (the components and Preact, render-app.tsx) while they
 * start: the workers no longer wait for the UI's code to be parsed and run.
 */
import { createPipelineLoader } from './app/live/model-loading.ts';
import { loadSettings } from './app/settings-storage.ts';
import { createAppStore } from './app/store.ts';
import { createInstallPrompt } from './features/pwa/install-prompt.ts';
import './app/app.css';
import './app/research.css';

// Listening before the first render: the browser's install offer can come early and only once.
const installPrompt = createInstallPrompt(window);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createAppStore(loadSettings());
const pipeline = createPipelineLoader(store);
pipeline.prestart();
import('./render-app.tsx').then(
  ({ renderApp }) => renderApp(root, { store, pipeline, installPrompt }),
  (e: unknown) => {
    pipeline.dispose();
    root.textContent = `Circumplex could not load its interface (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`;
    root.setAttribute('role', 'alert');
  },
);
