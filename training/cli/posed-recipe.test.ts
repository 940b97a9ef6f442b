import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CNN_DEFAULTS, mergeConfig } from '../config/config.ts';
import { parseArgs } from './args.ts';
import { CKPLUS_SEQUENCE_SUBJECTS, POSED_MIX, posedMixArgs, posedRecipeFlags } from './posed-recipe.ts';
import { GRU_VAL_SUBJECTS } from './train-shipped.ts';

const sequences = path.resolve(import.meta.dirname, '../../../shared/datasets/ckplus-sequences');

describe('the posed-faces recipe', () => {
  test('parses into a training config: CK+48 mixed in, cosine to 0, the last epoch kept', () => {
    const config = mergeConfig(CNN_DEFAULTS, [], parseArgs(posedMixArgs()).flags);
    expect(config.mixData).toBe(POSED_MIX.data);
    expect(config.mixShare).toBe(POSED_MIX.share);
    expect(config.epochSize).toBe(POSED_MIX.epochSize);
    expect(config.keep).toBe('last');
    expect(config.optim.schedule).toBe('cosine');
  });

  test('cv:ckplus --recipe posed: the same options, FER+ as the primary data, no subject dropped from the folds', () => {
    const recipe = parseArgs(posedMixArgs()).flags;
    const cv = posedRecipeFlags('posed');
    for (const [key, value] of Object.entries(recipe)) expect(cv[key], key).toBe(value);
    expect(cv.dataset).toBe('ferplus');
    expect(cv.classTarget).toBe('votes');
    expect(cv.initFrom).toBe('runs/shipped/cnn');
    expect(cv.mixExcludeSubjects).toBeUndefined();
    expect(() => mergeConfig(CNN_DEFAULTS, [], cv)).not.toThrow();
    expect(() => posedRecipeFlags('other')).toThrow(/--recipe must be "posed"/);
  });

  test("the GRU's held-out subjects are among the CK+ sequences' people", () => {
    for (const s of GRU_VAL_SUBJECTS) expect(CKPLUS_SEQUENCE_SUBJECTS).toContain(s);
  });

  test.skipIf(!existsSync(sequences))(
    `the listed people are exactly those of the CK+ sequences (${existsSync(sequences) ? sequences : `skipped: ${sequences} is absent`})`,
    () => {
      expect(readdirSync(path.join(sequences, 'cohn-kanade-images')).sort()).toEqual([...CKPLUS_SEQUENCE_SUBJECTS]);
    },
  );
});
