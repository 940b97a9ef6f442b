import { readdir, stat } from 'node:fs/promises';
import { DatasetError } from './errors.ts';

/** Entry names of a folder, sorted, hidden files (`.DS_Store`, `._x`) left out; a clear error when missing. */
export async function listFolder(dir: string, what: string): Promise<{ files: string[]; folders: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new DatasetError(dir, `${what} folder not found`);
  }
  const files: string[] = [];
  const folders: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) folders.push(e.name);
    else if (e.isFile() || e.isSymbolicLink()) files.push(e.name);
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { files: files.sort(byName), folders: folders.sort(byName) };
}

export async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.tif', '.tiff'] as const;

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
