/**
 * Builds the peer benchmark page (bench/peers/) on its own, into runs/bench/peers-dist: never part of the
 * app's build or its service-worker precache. bench/lib/servers.ts serves it beside the peers' model files.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export const PEERS_DIST = path.resolve(here, '../../runs/bench/peers-dist');

export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  build: { outDir: PEERS_DIST, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
});
