/**
 * npm run train:cnn -- [--config file.json]... [--key value]... [--resume]
 * Trains the CNN (stage 1). See --help for every option and its default.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CNN_DEFAULTS, ConfigError, mergeConfig } from '../config/config.ts';
import { describeDefaults, parseArgs, takeFlag } from './args.ts';
import { selectBackend } from '../backend/select.ts';
import { trainCnn } from '../train/train-cnn.ts';
import { openCnnData } from '../train/open-cnn-data.ts';
import { checkpointDir, hasCheckpoint } from '../train/checkpoint.ts';
import { formatDuration } from '../train/progress.ts';

const HELP = `Train the CNN feature extractor (stage 1 of arXiv 2006.11168's method).

Usage: npm run train:cnn -- [--config file.json]... [--option value]... [--resume]

  --config FILE   JSON override file (repeatable; applied in order, then the options below)
  --resume        continue the run in --outDir from its last completed epoch (same data order,
                  augmentation and dropout as an uninterrupted run); options given now override
                  the saved config (e.g. --epochs 40 to train longer)
  --help          this text

Options and defaults (the paper's where it has one):
${describeDefaults(CNN_DEFAULTS).join('\n')}

Writes to --outDir: checkpoint/ (every epoch), best/ (best validation epoch), metrics.jsonl,
curves.svg, best-evaluation.json. Example (the shipped model):
  npm run train:cnn -- --epochs 30 --outDir runs/cnn-efficient
`;

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config (${(e as Error).message})`, { cause: e });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const resume = takeFlag(args, 'resume') !== undefined;
  const files = await Promise.all(args.configFiles.map(readJson));
  let config = mergeConfig(CNN_DEFAULTS, files, args.flags);
  if (resume) {
    if (!(await hasCheckpoint(config.outDir))) throw new ConfigError(`--resume: no checkpoint in ${config.outDir}`);
    const saved = await readJson(path.join(checkpointDir(config.outDir), 'config.json'));
    config = mergeConfig(CNN_DEFAULTS, [saved, ...files], args.flags);
  }
  const backend = await selectBackend(config.backend);
  process.stdout.write(`config: ${JSON.stringify(config)}\n`);
  const data = await openCnnData(config);
  process.stdout.write(`data: ${data.describe()}\n`);
  const t0 = performance.now();
  const result = await trainCnn(config, data, { resume });
  const best = result.state.history.find((h) => h.epoch === result.state.bestEpoch);
  process.stdout.write(
    `finished ${result.state.epoch} epochs on ${backend.name} in ${formatDuration((performance.now() - t0) / 1000)}; ` +
      `best epoch ${result.state.bestEpoch}: ${best ? JSON.stringify(best.val) : 'n/a'}\n` +
      `best model: ${path.join(result.runDir, 'best')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`train:cnn: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
