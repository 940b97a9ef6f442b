/**
 * npm run train:cnn -- [--config file.json]... [--key value]... [--resume]
 * Trains the CNN (stage 1). See --help for every option and its default.
 */
import path from 'node:path';
import { CNN_DEFAULTS } from '../config/config.ts';
import { describeDefaults, parseArgs } from './args.ts';
import { resolveRunConfig } from './resolve-config.ts';
import { selectBackend } from '../backend/select.ts';
import { trainCnn } from '../loops/train-cnn.ts';
import { openCnnData } from '../data/open-cnn-data.ts';
import { formatDuration } from '../util/progress.ts';

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
  npm run train:cnn -- --epochs 4 --batchSize 64 --outDir runs/cnn-efficient
  npm run train:cnn -- --resume --outDir runs/cnn-efficient --optim.lr 0.002 --epochs 6
`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const { config, resume } = await resolveRunConfig(CNN_DEFAULTS, args);
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
