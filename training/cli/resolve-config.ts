/** The training CLIs' config resolution: defaults <- --config files <- flags, or a checkpoint's saved config on --resume. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, mergeConfig } from '../config/config.ts';
import { checkpointDir, hasCheckpoint } from '../loops/checkpoint.ts';
import { takeFlag, type ParsedArgs } from './args.ts';

export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config (${(e as Error).message})`, { cause: e });
  }
}

/** defaults <- --config files (in order) <- `--a.b value` flags: the one merge, for CLIs that do not resume. */
export async function resolveConfig<T extends object>(defaults: T, args: ParsedArgs): Promise<T> {
  const files = await Promise.all(args.configFiles.map(readConfigFile));
  return mergeConfig(defaults, files, args.flags);
}

/**
 * On --resume the run's saved config is the base, so a resumed run continues with what it started with;
 * files and flags given now still apply on top (e.g. --epochs 40 to train longer).
 */
export async function resolveRunConfig<T extends { outDir: string }>(
  defaults: T,
  args: ParsedArgs,
): Promise<{ config: T; resume: boolean }> {
  const resume = takeFlag(args, 'resume') !== undefined;
  const config = await resolveConfig(defaults, args);
  if (!resume) return { config, resume };
  if (!(await hasCheckpoint(config.outDir))) throw new ConfigError(`--resume: no checkpoint in ${config.outDir}`);
  const saved = await readConfigFile(path.join(checkpointDir(config.outDir), 'config.json'));
  const files = await Promise.all(args.configFiles.map(readConfigFile));
  return { config: mergeConfig(defaults, [saved, ...files], args.flags), resume };
}
