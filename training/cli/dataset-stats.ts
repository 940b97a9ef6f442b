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
  const args: Args = { originalLabels: false, keepUnlabelled: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--original-labels') args.originalLabels = true;
    else if (a === '--keep-unlabelled') args.keepUnlabelled = true;
    else if (a === '--layout' || a.startsWith('--layout=')) args.layout = a.includes('=') ? a.slice('--layout='.length) : argv[++i];
    else if (a.startsWith('-')) args.error = `unknown option ${a}`;
    else if (args.root === undefined) args.root = a;
    else args.error = `unexpected argument ${a}`;
  }
  if (args.layout !== undefined && !(LAYOUTS as readonly string[]).includes(args.layout)) args.error = `unknown layout "${args.layout}"`;
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
