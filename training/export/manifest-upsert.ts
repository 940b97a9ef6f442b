/**
 * Adds or replaces one model entry in public/models/manifest.json, keeping every other model's entry
 * and position, so each tool that produces a model (the face detector script, training exports) can
 * register it without knowing about the others. The result is validated with the app's own schema
 * before it is written, and written deterministically (2-space JSON, trailing newline).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_SCHEMA_VERSION, modelEntrySchema, parseManifest } from '../../src/core/manifest.ts';
import type { FileEntry, Manifest, ModelEntry } from '../../src/core/manifest.ts';

/** Pure: the manifest with `entry` replacing the model of the same name, or appended. */
export function upsertEntry(manifest: Manifest | undefined, entry: ModelEntry): Manifest {
  const checked = modelEntrySchema.parse(entry);
  const models = [...(manifest?.models ?? [])];
  const at = models.findIndex((m) => m.name === checked.name);
  if (at === -1) models.push(checked);
  else models[at] = checked;
  return { schemaVersion: MANIFEST_SCHEMA_VERSION, models };
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Reads (if present), upserts and writes the manifest file; returns what was written. */
export function upsertManifestFile(manifestPath: string, entry: ModelEntry): Manifest {
  const current = existsSync(manifestPath) ? parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath) : undefined;
  const next = upsertEntry(current, entry);
  // Round-trip through the app's parser so a manifest the app would reject is never written.
  parseManifest(serializeManifest(next), manifestPath);
  writeFileSync(manifestPath, serializeManifest(next));
  return next;
}

/** The manifest's file record (size + sha256) for a file inside the models directory. */
export function fileEntryFor(modelsDir: string, relativePath: string): FileEntry {
  const bytes = readFileSync(path.join(modelsDir, relativePath));
  return { path: relativePath, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}
