/**
 * npm run train:rnn -- --cnn runs/cnn-efficient [--kind gru|simple|gru3] [--key value]... [--resume]
 * Stage 2: features from the trained CNN's best epoch, windows of 100 frames, a recurrent model on top.
 */
import path from 'node:path';
import { RNN_DEFAULTS, type CnnConfig } from '../config/config.ts';
import { describeDefaults, parseArgs } from './args.ts';
import { readConfigFile, resolveRunConfig } from './resolve-config.ts';
import { selectBackend } from '../backend/select.ts';
import { bestDir, loadModelFrom } from '../loops/checkpoint.ts';
import { buildRnnData } from '../data/rnn-data.ts';
import { trainRnn } from '../loops/train-rnn.ts';
import { featureExtractor } from '../models/heads.ts';
import { attachFaceBoxes } from '../face/box-cache.ts';
import { formatDuration } from '../util/progress.ts';

const HELP = `Train the recurrent stage (SimpleRNN / GRU / 3-layer GRU over 100-frame windows of CNN features).

Usage: npm run train:rnn -- [--config file.json]... [--option value]... [--resume]

  --config FILE   JSON override file (repeatable)
  --resume        continue the run in --outDir from its last completed epoch
  --help          this text

Options and defaults:
${describeDefaults(RNN_DEFAULTS).join('\n')}

Real sequences: CK+ (official layout) with faces found by the app's own detector (BlazeFace in Node,
boxes cached in runs/cache/face-boxes) and cropped with the CNN's margin; subjects in --valSubjects (or
30% of subjects by --seed) are held out for validation. Training adds --syntheticSequences clips built
from FER+ training stills (training/sequences/synthetic.ts). Example:
  npm run train:rnn -- --cnn runs/cnn-efficient --kind gru --outDir runs/rnn-gru
`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const { config, resume } = await resolveRunConfig(RNN_DEFAULTS, args);
  await selectBackend(config.backend);
  process.stdout.write(`config: ${JSON.stringify(config)}\n`);
  const cnnConfig = (await readConfigFile(path.join(bestDir(config.cnn), 'config.json'))) as unknown as CnnConfig;
  const cnn = await loadModelFrom(bestDir(config.cnn));
  const extractor = { model: featureExtractor(cnn), mirrorAverage: config.mirrorAverage };
  const t0 = performance.now();
  const data = await buildRnnData(config, extractor, cnnConfig, async (ds) => {
    const report = await attachFaceBoxes(ds);
    return { withoutFace: report.noFace.length };
  });
  process.stdout.write(`data: ${data.describe} (${formatDuration((performance.now() - t0) / 1000)})\n`);
  const result = await trainRnn(config, data, { resume });
  const best = result.state.history.find((h) => h.epoch === result.state.bestEpoch);
  process.stdout.write(
    `finished ${result.state.epoch} epochs in ${formatDuration((performance.now() - t0) / 1000)}; best epoch ${result.state.bestEpoch}: ${best ? JSON.stringify(best.val) : 'n/a'}\n` +
      `best model: ${path.join(config.outDir, 'best')}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`train:rnn: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
