import { afterEach, describe, expect, test, vi } from 'vitest';
import { RNN_DEFAULTS } from '../config/config.ts';
import { readTemporalConfig, TEMPORAL_DEFAULTS } from './temporal-table.ts';

describe('eval:temporal options', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  test("take the training CLIs' flags: --optim.lr as train:rnn, lists, booleans", async () => {
    const config = await readTemporalConfig([
      '--cnn',
      'runs/cnn',
      '--optim.lr',
      '0.002',
      '--kinds',
      'gru,gru3',
      '--mirrorAverage',
      'false',
      '--epochs',
      '1',
    ]);
    expect(config).toEqual({
      ...TEMPORAL_DEFAULTS,
      cnn: 'runs/cnn',
      optim: { ...RNN_DEFAULTS.optim, lr: 0.002 },
      kinds: ['gru', 'gru3'],
      mirrorAverage: false,
      epochs: 1,
    });
  });

  test('still read the older --lr, which --optim.lr overrides', async () => {
    expect((await readTemporalConfig(['--cnn', 'r', '--lr', '0.03']))?.optim.lr).toBe(0.03);
    expect((await readTemporalConfig(['--cnn', 'r', '--lr', '0.03', '--optim.lr', '0.04']))?.optim.lr).toBe(0.04);
  });

  test('reject unknown options and kinds; without --cnn print the help and exit 2', async () => {
    await expect(readTemporalConfig(['--cnn', 'r', '--bogus', '1'])).rejects.toThrow(/unknown option --bogus/);
    await expect(readTemporalConfig(['--cnn', 'r', '--kinds', 'lstm'])).rejects.toThrow(/unknown kind "lstm"/);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await readTemporalConfig([])).toBeUndefined();
    expect(write).toHaveBeenCalledWith(expect.stringContaining('--optim.lr'));
    expect(process.exitCode).toBe(2);
  });
});
