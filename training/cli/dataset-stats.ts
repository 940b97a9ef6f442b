/**
 * Prints what a dataset holds, from its labels alone (no image decoding, so it takes seconds even on FER+):
 * per split, the class counts, valence/arousal mean and std, and what the loader left out and why.
 *
 *   npx tsx training/cli/dataset-stats.ts <dataset path> [--layout ferplus|fer2013-csv|image-folder|ckplus|jaffe|afew-va|affwild2]
 *                                         [--original-labels] [--keep-unlabelled]
 */
import { DatasetError } from '../data/errors.ts';
import { LAYOUTS, detectLayout, openDatasets } from '../data/open.ts';
import type { Layout } from '../data/open.ts';
import { datasetStats, formatStats } from '../data/stats.ts';
import { parseArgs } from './args.ts';

const USAGE = `usage: dataset-stats <dataset path> [--layout ${LAYOUTS.join('|')}] [--original-labels] [--keep-unlabelled]`;

interface Args {
  root?: string;
  layout?: string;
  originalLabels: boolean;
  keepUnlabelled: boolean;
  help: boolean;
  error?: string;
}

function parse(argv: readonly string[]): Args {
  const { flags, positionals, configFiles, help } = parseArgs(argv);
  const { layout, 'original-labels': originalLabels, 'keep-unlabelled': keepUnlabelled, ...rest } = flags;
  const args: Args = {
    root: positionals[0],
    layout,
    originalLabels: originalLabels !== undefined,
    keepUnlabelled: keepUnlabelled !== undefined,
    help,
  };
  const unknown = Object.keys(rest)[0] ?? (configFiles.length > 0 ? 'config' : undefined);
  if (unknown !== undefined) args.error = `unknown option --${unknown}`;
  else if (positionals.length > 1) args.error = `unexpected argument ${positionals[1]}`;
  if (layout !== undefined && !(LAYOUTS as readonly string[]).includes(layout)) args.error = `unknown layout "${layout}"`;
  return args;
}

async function main(argv: readonly string[]): Promise<number> {
  const { root, layout, originalLabels, keepUnlabelled, help, error } = parse(argv);
  if (help) {
    console.log(USAGE);
    return 0;
  }
  if (error || root === undefined) {
    console.error(`${error ?? 'missing dataset path'}\n${USAGE}`);
    return 2;
  }
  try {
    const kind = (layout as Layout | undefined) ?? (await detectLayout(root));
    const started = performance.now();
    const datasets = await openDatasets(root, kind, { originalLabels, keepUnlabelled });
    console.log(`${root} (${kind}), labels read in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    for (const ds of datasets) console.log(`${formatStats(datasetStats(ds))}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DatasetError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
