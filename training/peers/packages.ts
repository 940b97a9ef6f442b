import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The peers' npm packages (devDependencies): only their model files are used, never their bundled tfjs. */
export const FACE_API_PACKAGE = '@vladmandic/face-api';
export const HUMAN_PACKAGE = '@vladmandic/human';

/** Where `name` is installed under `repoRoot`, and its version; a clear error when it is not installed. */
export async function installedPackage(repoRoot: string, name: string): Promise<{ dir: string; version: string }> {
  const dir = path.join(repoRoot, 'node_modules', name);
  const file = path.join(dir, 'package.json');
  let json: { version?: unknown };
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown };
  } catch (e) {
    throw new Error(`${name} is not installed (${file}: ${(e as Error).message}); run npm install`, { cause: e });
  }
  if (typeof json.version !== 'string') throw new Error(`${file}: no version field`);
  return { dir, version: json.version };
}
