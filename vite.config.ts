import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './scripts/content-security-policy.ts';
import { modelPreloads } from './scripts/model-preloads.ts';
import { precompressedAssets } from './scripts/precompressed-assets.ts';
import { tfjsWorkerPlatform } from './scripts/tfjs-worker-platform.ts';

const CSP = contentSecurityPolicy();

/**
 * Puts the CSP into the built page as a <meta> tag, so it holds on any static host. Build only: Vite's
 * dev server injects inline scripts. A <meta> policy does not reach workers (they take their policy from
 * their own response headers), so `vite preview` also sends it as a header; hosts should do the same.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'circumplex-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
    },
  };
}

/**
 * The UI is written against React's API and runs on Preact's implementation of it (preact/compat): about 20 kB of
 * code in the UI's chunk where React DOM took 203 kB (BENCHMARKS.md, seventh round). Every import of React (ours,
 * and zustand's hook) resolves to it.
 */
const REACT_ON_PREACT = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];

// The app is served from its own origin only: models and wasm binaries live under public/
// (public/vendor is filled by scripts/prepare-assets.ts from node_modules), never a CDN.
export default defineConfig({
  resolve: { alias: REACT_ON_PREACT },
  plugins: [
    contentSecurityPolicyMeta(),
    // The model files the page fetches as it starts, requested while the HTML is parsed.
    modelPreloads(fileURLToPath(new URL('./public/models', import.meta.url))),
    VitePWA({
      // A new version waits until the user chooses to reload (src/app/PwaControls.tsx), never mid-session.
      registerType: 'prompt',
      injectRegister: false,
      // Our own service worker (src/sw.ts), built to sw.js with the precache list filled in.
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      manifest: {
        name: 'Circumplex',
        short_name: 'Circumplex',
        description: 'Real-time facial valence/arousal recognition that runs entirely in the browser.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#101217',
        theme_color: '#101217',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        rollupFormat: 'iife',
        // The app shell, every model file and the wasm binaries, so the whole pipeline runs offline after one visit.
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,tflite,bin,json}'],
        // Only what this browser will run: TF.js's SIMD build (both workers). Without cross-origin isolation TF.js
        // never loads its threaded build; a browser without wasm SIMD fetches the plain build on demand (online).
        globIgnores: ['vendor/tfjs/tfjs-backend-wasm.wasm', 'vendor/tfjs/tfjs-backend-wasm-threaded-simd.wasm', '**/*.map'],
        // Room for a larger model's weights than today's (under 1 MB; workbox's default limit is 2 MiB).
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
    // Brotli and gzip siblings of the code and wasm in dist/, served by `vite preview` (scripts/precompressed-assets.ts).
    precompressedAssets(),
  ],
  worker: {
    format: 'es',
    // TF.js runs in the workers only: no model store that throws as tfjs-core loads (scripts/tfjs-worker-platform.ts).
    plugins: () => [tfjsWorkerPlatform()],
    rolldownOptions: {
      output: {
        // The bundler's runtime helpers go into the model worker's own file. Left to itself it puts them in a chunk of
        // their own, shared with the lazily loaded WebGL/WebGPU/CPU backends, and the worker then waits for a second
        // request (after compiling the first) before its code can run, on every start.
        codeSplitting: {
          groups: [{ name: 'worker', test: (id: string) => /[\\/]src[\\/]features[\\/]pipeline[\\/]worker\.ts$/.test(id) }],
        },
      },
    },
  },
  build: { target: 'es2022', sourcemap: true },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: true, headers: { 'Content-Security-Policy': CSP } },
});
