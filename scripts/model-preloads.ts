/**
 * `<link rel="preload">` in the built page for the model files the page fetches as it starts: the manifest, the face
 * detector, and each layers model's model.json and weight files. The page fetches them in three steps (the manifest,
 * then each model.json, then the weights it names); with the preloads all of them are requested while the HTML is
 * parsed, and each step finds its files already there. The list comes from public/models at build time, through the
 * same manifest and model.json parsing the page uses, so it always names what the page will ask for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HtmlTagDescriptor, Plugin } from 'vite';
import { MANIFEST_FILE, modelForTask, parseManifest } from '../src/core/manifest.ts';
import { parseModelJson, weightPaths } from '../src/features/models/model-artifacts.ts';

/** The files under `modelsDir` the page fetches before its first prediction, relative to it, in fetch order. */
export function startupModelFiles(modelsDir: string): string[] {
  const manifest = parseManifest(readFileSync(path.join(modelsDir, MANIFEST_FILE), 'utf8'));
  const files = [MANIFEST_FILE, modelForTask(manifest, 'face-detection').entry];
  for (const entry of manifest.models.filter((m) => m.task === 'face-expression' || m.task === 'temporal-va')) {
    const modelJson = parseModelJson(entry, new Uint8Array(readFileSync(path.join(modelsDir, entry.entry))));
    files.push(entry.entry, ...weightPaths(entry, modelJson));
  }
  return files;
}

/** The preload tags for `files` under `${base}models/`, as the page's fetch() asks for them (CORS mode, same origin). */
export function modelPreloadTags(files: readonly string[], base: string): HtmlTagDescriptor[] {
  return files.map((file) => ({
    tag: 'link',
    attrs: { rel: 'preload', as: 'fetch', crossorigin: 'anonymous', href: `${base}models/${file}` },
    injectTo: 'head',
  }));
}

/** Build only: the dev server serves files as they change. */
export function modelPreloads(modelsDir: string): Plugin {
  let base = '/';
  return {
    name: 'circumplex-model-preloads',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: () => modelPreloadTags(startupModelFiles(modelsDir), base),
  };
}
