import { describe, expect, test } from 'vitest';
import { CNN_DEFAULTS, RNN_DEFAULTS, mergeConfig } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CKPLUS_SEQUENCE_SUBJECTS, GRU_VAL_SUBJECTS, POSED_MIX, posedRecipeFlags, stages } from './train-shipped.ts';

const sequences = path.resolve(import.meta.dirname, '../../../shared/datasets/ckplus-sequences');

function flagOf(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : args[i + 1];
}

describe('train:shipped recipe', () => {
  test('the default seed is the shipped models: stage 1 seed 1, stage 2 seed 2, stage 3 seed 3, the GRU seed 1', () => {
    const plan = stages('runs/x', true);
    expect(plan.map((s) => s.script)).toEqual([
      'train-cnn',
      'train-cnn',
      'train-cnn',
      'train-cnn',
      'train-cnn',
      'train-cnn',
      'train-cnn',
      'train-rnn',
      'export',
    ]);
    expect(flagOf(plan[0]!.args, 'seed')).toBe('1');
    expect(flagOf(plan[2]!.args, 'seed')).toBe('2');
    expect(flagOf(plan[2]!.args, 'initFrom')).toBe('runs/x/cnn-base');
    expect(flagOf(plan[6]!.args, 'seed')).toBe('3');
    expect(flagOf(plan[6]!.args, 'initFrom')).toBe('runs/x/cnn');
    expect(flagOf(plan[7]!.args, 'seed')).toBe('1');
    // The GRU reads, and export ships, the CNN of stage 3.
    expect(flagOf(plan[7]!.args, 'cnn')).toBe('runs/x/cnn-posed');
    expect(flagOf(plan[8]!.args, 'cnn')).toBe('runs/x/cnn-posed');
  });

  test('stage 3 mixes CK+48 in, keeps its last epoch, and leaves out the subjects the GRU is chosen on', () => {
    const config = mergeConfig(CNN_DEFAULTS, [], parseArgs(stages('runs/x', false)[6]!.args).flags);
    expect(config.mixData).toBe(POSED_MIX.data);
    expect(config.mixShare).toBe(POSED_MIX.share);
    expect(config.keep).toBe('last');
    expect(config.optim.schedule).toBe('cosine');
    expect(config.mixExcludeSubjects).toEqual([...CKPLUS_SEQUENCE_SUBJECTS]);
    for (const s of GRU_VAL_SUBJECTS) expect(CKPLUS_SEQUENCE_SUBJECTS).toContain(s);
  });

  test.skipIf(!existsSync(sequences))(
    `the excluded people are exactly those of the CK+ sequences (${existsSync(sequences) ? sequences : `skipped: ${sequences} is absent`})`,
    () => {
      expect(readdirSync(path.join(sequences, 'cohn-kanade-images')).sort()).toEqual([...CKPLUS_SEQUENCE_SUBJECTS]);
    },
  );

  test('--seed moves every stage to new seeds but keeps the GRU chosen on the same held-out subjects', () => {
    const a = stages('runs/a', false, 1);
    const b = stages('runs/b', false, 2);
    expect(flagOf(b[0]!.args, 'seed')).toBe('2');
    expect(flagOf(b[2]!.args, 'seed')).toBe('3');
    expect(flagOf(b[6]!.args, 'seed')).toBe('4');
    expect(flagOf(b[7]!.args, 'seed')).toBe('2');
    for (const plan of [a, b]) expect(flagOf(plan[7]!.args, 'valSubjects')).toBe(GRU_VAL_SUBJECTS.join(','));
  });

  test('every stage parses into a valid training config (no unknown or mistyped flag)', () => {
    for (const stage of stages('runs/x', true, 3)) {
      if (stage.script === 'export') continue;
      const args = parseArgs(stage.args.filter((a) => a !== '--resume'));
      const defaults = stage.script === 'train-cnn' ? CNN_DEFAULTS : RNN_DEFAULTS;
      expect(() => mergeConfig<typeof defaults>(defaults, [], args.flags)).not.toThrow();
    }
    const gru = stages('runs/x', false, 3)[7]!;
    const config = mergeConfig(RNN_DEFAULTS, [], parseArgs(gru.args).flags);
    expect(config.valSubjects).toEqual([...GRU_VAL_SUBJECTS]);
    expect(config.seed).toBe(3);
  });

  test('cv:ckplus --recipe posed runs stage 3 per fold: the same options as the shipped stage, FER+ as the primary data', () => {
    const stage3 = parseArgs(stages('runs/x', false)[6]!.args).flags;
    const cv = posedRecipeFlags('posed');
    for (const key of ['mixData', 'mixShare', 'epochSize', 'epochs', 'optim.lr', 'optim.schedule', 'classWeighting', 'keep'])
      expect(cv[key], key).toBe(stage3[key]);
    expect(cv.dataset).toBe('ferplus');
    expect(cv.initFrom).toBe('runs/shipped/cnn');
    // Cross-validation folds the CK+ subjects itself: it must not drop any.
    expect(cv.mixExcludeSubjects).toBeUndefined();
    expect(() => posedRecipeFlags('other')).toThrow(/--recipe must be "posed"/);
  });

  test('a seed that is not a non-negative integer is refused', () => {
    expect(() => stages('runs/x', false, 1.5)).toThrow(/--seed/);
    expect(() => stages('runs/x', false, Number('two'))).toThrow(/--seed/);
  });
});
