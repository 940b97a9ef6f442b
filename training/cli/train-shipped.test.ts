import { describe, expect, test } from 'vitest';
import { CNN_DEFAULTS, RNN_DEFAULTS, mergeConfig } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { GRU_VAL_SUBJECTS, stages } from './train-shipped.ts';
import { CKPLUS_SEQUENCE_SUBJECTS, POSED_MIX } from './posed-recipe.ts';

function flagOf(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : args[i + 1];
}

describe('train:shipped recipe', () => {
  test('the default seed is the shipped models: stage 1 seed 1, stage 2 seed 2, stage 3 and the GRU seed 1', () => {
    const plan = stages('runs/x', true);
    expect(plan.map((s) => s.script)).toEqual([...Array<string>(7).fill('train-cnn'), 'class-offset', 'train-rnn', 'export']);
    expect(flagOf(plan[0]!.args, 'seed')).toBe('1');
    expect(flagOf(plan[2]!.args, 'seed')).toBe('2');
    expect(flagOf(plan[2]!.args, 'initFrom')).toBe('runs/x/cnn-base');
    expect(flagOf(plan[6]!.args, 'seed')).toBe('1');
    expect(flagOf(plan[6]!.args, 'initFrom')).toBe('runs/x/cnn');
    expect(flagOf(plan[7]!.args, 'cnn')).toBe('runs/x/cnn-posed');
    expect(flagOf(plan[7]!.args, 'out')).toBe('runs/x/cnn-shipped');
    // The GRU reads, and export ships, the CNN with its class offset.
    expect(flagOf(plan[8]!.args, 'seed')).toBe('1');
    expect(flagOf(plan[8]!.args, 'cnn')).toBe('runs/x/cnn-shipped');
    expect(flagOf(plan[9]!.args, 'cnn')).toBe('runs/x/cnn-shipped');
  });

  test("stage 3 is the posed-faces recipe, keeping the CK+ sequences' people out", () => {
    const config = mergeConfig(CNN_DEFAULTS, [], parseArgs(stages('runs/x', false)[6]!.args).flags);
    expect(config.mixData).toBe(POSED_MIX.data);
    expect(config.mixShare).toBe(POSED_MIX.share);
    expect(config.originalLabelShare).toBe(POSED_MIX.originalLabelShare);
    expect(config.keep).toBe('last');
    expect(config.mixExcludeSubjects).toEqual([...CKPLUS_SEQUENCE_SUBJECTS]);
  });

  test('--seed moves every stage to new seeds but keeps the GRU chosen on the same held-out subjects', () => {
    const a = stages('runs/a', false, 1);
    const b = stages('runs/b', false, 2);
    expect(flagOf(b[0]!.args, 'seed')).toBe('2');
    expect(flagOf(b[2]!.args, 'seed')).toBe('3');
    expect(flagOf(b[6]!.args, 'seed')).toBe('2');
    expect(flagOf(b[8]!.args, 'seed')).toBe('2');
    for (const plan of [a, b]) expect(flagOf(plan[8]!.args, 'valSubjects')).toBe(GRU_VAL_SUBJECTS.join(','));
  });

  test('every stage parses into a valid training config (no unknown or mistyped flag)', () => {
    for (const stage of stages('runs/x', true, 3)) {
      if (stage.script === 'export' || stage.script === 'class-offset') continue;
      const args = parseArgs(stage.args.filter((a) => a !== '--resume'));
      const defaults = stage.script === 'train-cnn' ? CNN_DEFAULTS : RNN_DEFAULTS;
      expect(() => mergeConfig<typeof defaults>(defaults, [], args.flags)).not.toThrow();
    }
    const gru = stages('runs/x', false, 3)[8]!;
    const config = mergeConfig(RNN_DEFAULTS, [], parseArgs(gru.args).flags);
    expect(config.valSubjects).toEqual([...GRU_VAL_SUBJECTS]);
    expect(config.seed).toBe(3);
  });

  test('a seed that is not a non-negative integer is refused', () => {
    expect(() => stages('runs/x', false, 1.5)).toThrow(/--seed/);
    expect(() => stages('runs/x', false, Number('two'))).toThrow(/--seed/);
  });
});
