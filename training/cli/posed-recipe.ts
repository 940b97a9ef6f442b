/**
 * The posed-faces recipe (stage 3 of train:shipped): fine-tune a FER+ CNN on epochs of FER+ training images with
 * CK+48's posed apex faces mixed in (CnnConfig.mixData), the learning rate annealed to 0 by a cosine, the last
 * epoch kept. The same options train it and cross-validate it per CK+ fold (`npm run cv:ckplus -- --recipe posed`),
 * where each fold's test subjects stay out of the mix.
 */
import { ConfigError } from '../config/config.ts';
import { parseArgs } from './args.ts';

/**
 * The recipe's settings, chosen on validation (MODEL_CARD.md, "Stage 3: posed faces in the training mix"): 15% of
 * each epoch from CK+48, FER+ images' class target 0.3 on their original FER2013 label, cosine from lr 0.003.
 */
export const POSED_MIX = {
  data: '../shared/datasets/ckplus48',
  share: 0.15,
  epochSize: 8192,
  epochs: 8,
  lr: 0.003,
  originalLabelShare: 0.3,
} as const;

/**
 * The 10 people of the CK+ sequences (../shared/datasets/ckplus-sequences). Training runs of the recipe leave their
 * CK+48 faces out (--mixExcludeSubjects), so their sequences stay unseen people: the temporal model's held-out
 * subjects are among them, and their first (neutral) and apex frames, framed by the app's detector, are the
 * posed-face validation set.
 */
export const CKPLUS_SEQUENCE_SUBJECTS = ['S052', 'S055', 'S074', 'S106', 'S111', 'S113', 'S124', 'S125', 'S130', 'S132'] as const;

/** The recipe's train:cnn options (without --initFrom, --seed and --outDir). */
export function posedMixArgs(): string[] {
  return [
    '--classWeighting',
    'sqrt-inverse',
    '--mixData',
    POSED_MIX.data,
    '--mixShare',
    String(POSED_MIX.share),
    '--epochSize',
    String(POSED_MIX.epochSize),
    '--epochs',
    String(POSED_MIX.epochs),
    '--batchSize',
    '64',
    '--optim.lr',
    String(POSED_MIX.lr),
    '--optim.schedule',
    'cosine',
    '--originalLabelShare',
    String(POSED_MIX.originalLabelShare),
    '--keep',
    'last',
  ];
}

/**
 * cv:ckplus --recipe posed: the recipe run per fold with FER+ as the primary data, from a FER+ CNN (default
 * runs/shipped/cnn, train:shipped's). Flags given beside it win.
 */
export function posedRecipeFlags(recipe: string): Record<string, string> {
  if (recipe !== 'posed') throw new ConfigError(`--recipe must be "posed", got "${recipe}"`);
  const ferplus = ['--data', '../shared/datasets/ferplus', '--dataset', 'ferplus', '--classTarget', 'votes'];
  return parseArgs([...ferplus, '--initFrom', 'runs/shipped/cnn', ...posedMixArgs()]).flags;
}
