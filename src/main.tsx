import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { StoreProvider } from './app/store-context.tsx';
import { createAppStore } from './app/store.ts';
import { loadSettings } from './app/settings-storage.ts';
import './app/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={createAppStore(loadSettings())}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
