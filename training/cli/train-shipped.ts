/**
 * npm run train:shipped [-- --out runs/shipped] [--export] [--seed 1]
 *
 * The recipe of the models the app ships, as one resumable command: every stage writes its own run folder and
 * resumes from its last checkpoint when run again, so an interrupted reproduction loses at most one epoch.
 *   1. CNN, FER+ votes, paper SGD lr 0.01 for 4 epochs, then lr 0.002 to epoch 6        (runs/shipped/cnn-base)
 *   2. fine-tune with sqrt-inverse class weights: lr 0.004 for 4 epochs, 0.0015 to epoch 8, 0.0005 to 10,
 *      0.0003 to 14                                                                       (runs/shipped/cnn)
 *   3. fine-tune on FER+ with CK+48's posed faces mixed in (training/cli/posed-recipe.ts), the CK+ sequences'
 *      ten people left out, then the neutral logit offset class-offset chooses on validation, keeping FER2013Valid's
 *      sad and anger recall at 40% (runs/shipped/cnn-posed, runs/shipped/cnn-shipped); detected faces (the CK+
 *      sequences) are cropped level with the eyes beyond 3 degrees, the default crop spec (config/default-crop.ts)
 *   4. GRU on CK+ train subjects + 300 synthetic clips from FER+ stills, half of each epoch's windows real,
 *      starting as a moving average of the CNN's valence/arousal head; features mirror-averaged as the app
 *      computes them                                                                      (runs/shipped/gru)
 *   5. with --export: float16 export of both to public/models/ (the CNN with input.mirrorAverage)
 * FER2013Valid picks the CNN's epochs (and, with the CK+ sequences' first and apex frames, the neutral offset), the
 * held-out CK+ subjects the GRU's; FER2013Test is never read here.
 * --seed S (default 1, the shipped models) seeds stage 1 with S, stage 2 with S + 1, stage 3 and the GRU with S; the GRU's
 * held-out subjects stay the ones seed 1 drew, so two seeds' models are chosen and compared on the same subjects.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.ts';
import { formatDuration } from '../util/progress.ts';
import { hasCheckpoint } from '../loops/checkpoint.ts';
import { CKPLUS_SEQUENCE_SUBJECTS, POSED_MIX, posedMixArgs } from './posed-recipe.ts';

/** Stage 2's step schedule: [learning rate, last epoch at it]; FER2013Valid picks the best epoch of all. */
export const FINE_TUNE_SCHEDULE: readonly (readonly [number, number])[] = [
  [0.004, 4],
  [0.0015, 8],
  [0.0005, 10],
  [0.0003, 14],
];

/** The CK+ subjects the shipped GRU is chosen on (those seed 1 holds out); fixed so that every seed uses them. */
export const GRU_VAL_SUBJECTS = ['S106', 'S125', 'S130'] as const;

export interface Stage {
  name: string;
  script: string;
  args: string[];
  /** The run folder; when it holds a checkpoint the stage is resumed (the CLIs skip completed epochs). */
  runDir?: string;
}

export function stages(out: string, exportModels: boolean, seed = 1): Stage[] {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${seed}`);
  const base = path.join(out, 'cnn-base');
  const fer = path.join(out, 'cnn');
  const posed = path.join(out, 'cnn-posed');
  const cnn = path.join(out, 'cnn-shipped');
  const gru = path.join(out, 'gru');
  const list: Stage[] = [
    {
      name: 'CNN, lr 0.01 (epochs 1-4)',
      script: 'train-cnn',
      args: ['--epochs', '4', '--batchSize', '64', '--seed', String(seed), '--outDir', base],
      runDir: base,
    },
    {
      name: 'CNN, lr 0.002 (epochs 5-6)',
      script: 'train-cnn',
      args: ['--resume', '--outDir', base, '--optim.lr', '0.002', '--epochs', '6'],
    },
    ...FINE_TUNE_SCHEDULE.map(([lr, epochs], i): Stage => {
      const name = `CNN, class-weighted fine-tuning, lr ${lr} (to epoch ${epochs})`;
      const common = ['--optim.lr', String(lr), '--epochs', String(epochs), '--outDir', fer];
      return i === 0
        ? {
            name,
            script: 'train-cnn',
            args: ['--initFrom', base, '--classWeighting', 'sqrt-inverse', '--batchSize', '64', '--seed', String(seed + 1), ...common],
            runDir: fer,
          }
        : { name, script: 'train-cnn', args: ['--resume', ...common] };
    }),
    {
      name: `CNN, FER+ with CK+48's posed faces mixed in (${POSED_MIX.share} of each epoch), cosine from lr ${POSED_MIX.lr}`,
      script: 'train-cnn',
      args: [
        '--initFrom',
        fer,
        ...posedMixArgs(),
        '--mixExcludeSubjects',
        CKPLUS_SEQUENCE_SUBJECTS.join(','),
        '--seed',
        String(seed),
        '--outDir',
        posed,
      ],
      runDir: posed,
    },
    {
      name: 'CNN, neutral logit offset chosen on FER2013Valid and the unseen CK+ people',
      script: 'class-offset',
      args: ['--cnn', posed, '--out', cnn],
    },
    {
      name: 'GRU',
      script: 'train-rnn',
      args: [
        '--cnn',
        cnn,
        '--kind',
        'gru',
        '--init',
        'cnn-head',
        '--realShare',
        '0.5',
        '--syntheticSequences',
        '300',
        '--windowsPerEpoch',
        '3000',
        '--batchSize',
        '64',
        '--epochs',
        '8',
        '--seed',
        String(seed),
        '--valSubjects',
        GRU_VAL_SUBJECTS.join(','),
        '--outDir',
        gru,
      ],
      runDir: gru,
    },
  ];
  if (exportModels)
    list.push({ name: 'export (float16)', script: 'export', args: ['--cnn', cnn, '--rnn', gru, '--quantization', 'float16'] });
  return list;
}

function run(script: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('training/cli', `${script}.ts`), ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${script} ${args.join(' ')} exited with ${signal ?? code}`)),
    );
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(
      'Usage: npm run train:shipped -- [--out runs/shipped] [--export] [--seed 1]\n' +
        'Reproduces the shipped CNN and GRU (1 h 27 min end to end on 2 CPU cores on tfjs-node, after npm run\n' +
        'setup:tfjs-node; stages 1-2 and the GRU took 2 h 33 min on wasm; --seed S reseeds every stage); run it again\n' +
        'to resume.\n',
    );
    return;
  }
  const out = args.flags.out ?? 'runs/shipped';
  const exportModels = args.flags.export !== undefined;
  const seed = Number(args.flags.seed ?? '1');
  const plan = stages(out, exportModels, seed);
  const t0 = performance.now();
  for (const stage of plan) {
    const resume = stage.runDir !== undefined && (await hasCheckpoint(stage.runDir));
    const stageArgs = resume && !stage.args.includes('--resume') ? ['--resume', ...stage.args] : stage.args;
    process.stdout.write(
      `\n== ${stage.name}${resume ? ' (resuming)' : ''}: npm run ${stage.script.replace('-', ':')} -- ${stageArgs.join(' ')}\n`,
    );
    const started = performance.now();
    await run(stage.script, stageArgs);
    process.stdout.write(`== ${stage.name}: ${formatDuration((performance.now() - started) / 1000)}\n`);
  }
  process.stdout.write(`\ntrain:shipped finished in ${formatDuration((performance.now() - t0) / 1000)} -> ${out}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`train:shipped: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
