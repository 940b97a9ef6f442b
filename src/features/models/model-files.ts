/**
 * Fetching model files from the app's own origin, always through the manifest: the manifest is
 * validated, and every file is checked for size and sha256 before use, so a missing, truncated or
 * altered file stops the app with an error naming that file.
 */
import { MANIFEST_FILE, ModelFileError, modelForTask, parseManifest, verifyFile } from '../../core/manifest.ts';
import type { Manifest, ModelEntry } from '../../core/manifest.ts';
import { parseModelJson, weightPaths } from './model-artifacts.ts';

/** Base URL of public/models, honouring Vite's base path. */
export function modelsBaseUrl(): URL {
  return new URL(`${import.meta.env.BASE_URL}models/`, location.href);
}

async function fetchBytes(url: URL, file: string): Promise<ArrayBuffer | undefined> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelFileError(file, `could not be downloaded (${(e as Error).message})`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok) throw new ModelFileError(file, `could not be downloaded (HTTP ${response.status})`);
  return response.arrayBuffer();
}

export async function loadManifest(base: URL = modelsBaseUrl()): Promise<Manifest> {
  const bytes = await fetchBytes(new URL(MANIFEST_FILE, base), MANIFEST_FILE);
  if (bytes === undefined) throw new ModelFileError(MANIFEST_FILE, 'is missing');
  return parseManifest(new TextDecoder().decode(bytes), MANIFEST_FILE);
}

/** The verified bytes of a model's entry file. */
export async function fetchModelEntryFile(model: ModelEntry, base: URL = modelsBaseUrl()): Promise<Uint8Array> {
  const record = model.files.find((f) => f.path === model.entry);
  if (!record) throw new ModelFileError(MANIFEST_FILE, `does not list ${model.entry}`, 'files');
  const bytes = await fetchBytes(new URL(record.path, base), record.path);
  await verifyFile(record, bytes);
  return new Uint8Array(bytes as ArrayBuffer);
}

/** The verified face detector model, as listed in the manifest. */
export async function fetchFaceDetectorModel(manifest: Manifest, base?: URL): Promise<{ entry: ModelEntry; bytes: Uint8Array }> {
  const entry = modelForTask(manifest, 'face-detection', MANIFEST_FILE);
  if (entry.format !== 'tflite')
    throw new ModelFileError(MANIFEST_FILE, `lists ${entry.entry} as ${entry.format}; the face detector must be tflite`, 'format');
  return { entry, bytes: await fetchModelEntryFile(entry, base) };
}

/** Download progress across a set of files, for the loading screen. */
export interface LoadProgress {
  readonly file: string;
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

/**
 * The verified files of a TF.js layers model: model.json and every weight file it names. The weight shards the
 * manifest lists for the model (`.bin`, as TF.js writes them) are requested beside model.json, not after it is read:
 * they are the large files, and one round trip fewer before the model can load. A file model.json names that is
 * not one of them is fetched once model.json is read; one it does not name is never used.
 */
export async function fetchLayersModelFiles(
  model: ModelEntry,
  base: URL = modelsBaseUrl(),
  onProgress?: (p: LoadProgress) => void,
): Promise<Map<string, Uint8Array>> {
  if (model.format !== 'tfjs-layers')
    throw new ModelFileError(MANIFEST_FILE, `lists ${model.entry} as ${model.format}; ${model.name} must be tfjs-layers`, 'format');
  const files = new Map<string, Uint8Array>();
  const totalBytes = model.files.reduce((n, f) => n + f.bytes, 0);
  let loadedBytes = 0;
  const fetchVerified = async (p: string): Promise<Uint8Array> => {
    const record = model.files.find((f) => f.path === p);
    if (!record) throw new ModelFileError(MANIFEST_FILE, `does not list ${p} (named by ${model.entry})`, 'files');
    const bytes = await fetchBytes(new URL(record.path, base), record.path);
    await verifyFile(record, bytes);
    loadedBytes += record.bytes;
    onProgress?.({ file: record.path, loadedBytes, totalBytes });
    return new Uint8Array(bytes as ArrayBuffer);
  };
  const started = new Map<string, Promise<Uint8Array>>();
  const fetchOnce = (p: string): Promise<Uint8Array> => {
    const pending = started.get(p) ?? fetchVerified(p);
    started.set(p, pending);
    return pending;
  };
  for (const { path } of model.files) {
    // A shard's failure is reported when model.json names it (and after model.json's own).
    if (path !== model.entry && path.endsWith('.bin')) fetchOnce(path).catch(() => undefined);
  }
  const json = await fetchOnce(model.entry);
  files.set(model.entry, json);
  const paths = weightPaths(model, parseModelJson(model, json));
  const weights = await Promise.all(paths.map(fetchOnce));
  paths.forEach((p, i) => files.set(p, weights[i]!));
  return files;
}
