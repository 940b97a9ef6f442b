import { describe, expect, test } from 'vitest';
import { UNIT_NORMALISATION } from '../../src/core/preprocess.ts';
import { runCropSpec } from './crop-spec.ts';

describe('runCropSpec', () => {
  test("is the run config's crop, whatever the app's defaults are", () => {
    expect(runCropSpec({ inputSize: 64, cropMargin: 0.2, cropShiftY: -0.05, cropLevelEyes: true, cropLevelDeadband: 4 })).toEqual({
      size: 64,
      margin: 0.2,
      shiftY: -0.05,
      levelEyes: true,
      levelDeadband: 4,
      normalisation: UNIT_NORMALISATION,
    });
  });
  test('a run from before cropLevelEyes existed crops detected faces upright', () => {
    expect(runCropSpec({ inputSize: 48, cropMargin: 0.08, cropShiftY: -0.11 })).toMatchObject({ levelEyes: false, levelDeadband: 0 });
  });
  test('a run from before cropShiftY existed was trained unshifted', () => {
    expect(runCropSpec({ inputSize: 48, cropMargin: 0.08 }).shiftY).toBe(0);
  });
  test('a config without a usable crop is an error naming its source', () => {
    expect(() => runCropSpec({ inputSize: 48 }, 'runs/x/best/config.json')).toThrow(
      /runs\/x\/best\/config.json: cropMargin must be a number >= 0/,
    );
    expect(() => runCropSpec({ inputSize: 48, cropMargin: -1 })).toThrow(/cropMargin/);
    expect(() => runCropSpec({ inputSize: 0, cropMargin: 0.1 })).toThrow(/inputSize/);
    expect(() => runCropSpec({ inputSize: 48, cropMargin: 0.1, cropShiftY: Number.NaN })).toThrow(/cropShiftY/);
    expect(() => runCropSpec(JSON.parse('{"inputSize": 48, "cropMargin": 0.1, "cropLevelEyes": "yes"}') as never)).toThrow(/cropLevelEyes/);
    expect(() => runCropSpec({ inputSize: 48, cropMargin: 0.1, cropLevelEyes: true, cropLevelDeadband: -1 })).toThrow(/cropLevelDeadband/);
  });
});
