/**
 * Supply chain, checked on the committed files: every dependency pinned to an exact version, the lockfile
 * in step with package.json, every locked package fetched from the npm registry with an integrity hash,
 * and install scripts only in packages whose script has been read (a new one fails until it is reviewed).
 * Known vulnerabilities are checked separately (`npm run audit:prod`), since that needs the audit service.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPENDENCY_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  optional?: boolean;
  os?: string[];
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

type PackageJson = Partial<Record<(typeof DEPENDENCY_GROUPS)[number], Record<string, string>>>;

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const locked = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.link);

/** Packages allowed an install script, with what the script does (read in node_modules/<name>). */
const REVIEWED_INSTALL_SCRIPTS: Record<string, string> = {
  esbuild: 'checks its platform binary (an npm optional dependency); a fallback fetches the same package from registry.npmjs.org',
  'core-js': 'prints a funding banner; downloads nothing',
  webgpu: 'macOS only: clears the quarantine attribute of the bundled Dawn binary; downloads nothing',
  '@tensorflow/tfjs-node':
    'OPTIONAL, training only: downloads libtensorflow from storage.googleapis.com; where that is blocked the install fails and npm skips the package. `npm ci --omit=optional` never runs it',
  '@tensorflow/tfjs-node-gpu': 'OPTIONAL, training only: as @tensorflow/tfjs-node (CUDA build of libtensorflow)',
};

const nameOf = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('supply chain', () => {
  it('pins every dependency in package.json to an exact registry version', () => {
    const loose: string[] = [];
    for (const group of DEPENDENCY_GROUPS) {
      for (const [name, spec] of Object.entries(pkg[group] ?? {})) {
        if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(spec)) loose.push(`${group}.${name}: "${spec}"`);
      }
    }
    expect(loose, 'package.json: use exact versions (npm install --save-exact)').toEqual([]);
  });

  it('has a lockfile in step with package.json', () => {
    expect(lock.lockfileVersion).toBe(3);
    const rootEntry = lock.packages[''];
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      expect(rootEntry?.[group] ?? {}, `package-lock.json ${group} differ from package.json: run npm install`).toEqual(pkg[group] ?? {});
    }
    for (const group of ['dependencies', 'devDependencies'] as const) {
      for (const [name, version] of Object.entries(pkg[group] ?? {})) {
        expect(lock.packages[`node_modules/${name}`]?.version, `package-lock.json: ${name}`).toBe(version);
      }
    }
  });

  it('locks every package from registry.npmjs.org with a sha512 integrity hash', () => {
    const offRegistry = locked.filter(([, e]) => e.resolved !== undefined && !e.resolved.startsWith('https://registry.npmjs.org/'));
    // Optional native builds for other platforms (os-restricted) are listed so that `npm ci` accepts the lock
    // everywhere; they are never fetched on a platform they do not match, so only they may lack a hash.
    const unhashed = locked.filter(([, e]) => !e.integrity?.startsWith('sha512-') && !(e.optional && e.os));
    expect(locked.length).toBeGreaterThan(100);
    expect(
      offRegistry.map(([k, e]) => `${k}: ${e.resolved}`),
      'package-lock.json: packages from outside the npm registry',
    ).toEqual([]);
    expect(
      unhashed.map(([k]) => k),
      'package-lock.json: packages without an integrity hash',
    ).toEqual([]);
  });

  it('lists every optional dependency of a locked package, as `npm ci` requires', () => {
    const missing: string[] = [];
    for (const [key, e] of locked) {
      for (const name of Object.keys(e.optionalDependencies ?? {})) {
        if (name === 'fsevents') continue;
        const nested = `${key}/node_modules/${name}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) missing.push(`${nameOf(key)} -> ${name}`);
      }
    }
    expect(missing, 'package-lock.json lacks these optional packages: npm ci fails with "Missing: ... from lock file"').toEqual([]);
  });

  it('runs install scripts only from reviewed packages', () => {
    const withScripts = [...new Set(locked.filter(([, e]) => e.hasInstallScript).map(([k]) => nameOf(k)))].sort();
    const unreviewed = withScripts.filter((name) => !(name in REVIEWED_INSTALL_SCRIPTS));
    expect(unreviewed, 'read the install script of these packages and add them to REVIEWED_INSTALL_SCRIPTS with what it does').toEqual([]);
    // Packages that download from elsewhere must stay optional, so an install without them still succeeds.
    for (const [key, entry] of locked) {
      if (entry.hasInstallScript && REVIEWED_INSTALL_SCRIPTS[nameOf(key)]?.startsWith('OPTIONAL'))
        expect(entry.optional, `${key} must stay optional`).toBe(true);
    }
  });
});
