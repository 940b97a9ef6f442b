import { describe, expect, it } from 'vitest';
import { downloadTotals } from './model-loading.ts';

describe('downloadTotals', () => {
  it('sums the bytes of downloads reported separately, for one progress bar', () => {
    expect(downloadTotals([])).toEqual([0, 0]);
    expect(
      downloadTotals([
        [10, 100],
        [5, 50],
      ]),
    ).toEqual([15, 150]);
  });
});
