import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is served from its own origin only: models and wasm binaries live under public/
// (public/vendor is filled by scripts/prepare-assets.ts from node_modules), never a CDN.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: true },
});
