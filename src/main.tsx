import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createPipelineLoader } from './app/live/model-loading.ts';
import { StoreProvider } from './app/store-context.tsx';
import { createAppStore } from './app/store.ts';
import { loadSettings } from './app/settings-storage.ts';
import { createInstallPrompt } from './features/pwa/install-prompt.ts';
import './app/app.css';
import './app/research.css';

// Listening before the first render: the browser's install offer can come early and only once.
const installPrompt = createInstallPrompt(window);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createAppStore(loadSettings());
// The models download and both workers start before the first render, not after it; the live session takes this over.
const pipeline = createPipelineLoader(store);
pipeline.prestart();
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App installPrompt={installPrompt} pipeline={pipeline} />
    </StoreProvider>
  </StrictMode>,
);
