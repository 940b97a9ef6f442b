/**
 * The face crop of a CNN run. Its resolved config (inputSize, cropMargin, cropShiftY, cropLevelEyes) is the only source:
 * training crops face boxes with it, evaluation and the temporal model's features crop with it, export copies it
 * into the manifest, and the app crops live faces with what the manifest says (src/core/manifest.ts entryCropSpec).
 */
import { UNIT_NORMALISATION, type CropSpec } from '../../src/core/preprocess.ts';

/** The crop fields of a CNN run's config.json. */
export interface RunCrop {
  readonly inputSize: number;
  readonly cropMargin?: number;
  /** Absent in runs from before the field existed: those were trained, and are evaluated, unshifted. */
  readonly cropShiftY?: number;
  /** Absent in runs from before the field existed: those crop detected faces unturned. */
  readonly cropLevelEyes?: boolean;
  /** Absent = 0 (every roll levelled). */
  readonly cropLevelDeadband?: number;
}

export function runCropSpec(
  config: RunCrop,
  source = 'the run config',
): CropSpec & { readonly shiftY: number; readonly levelEyes: boolean; readonly levelDeadband: number } {
  const { inputSize, cropMargin, cropShiftY = 0, cropLevelEyes = false, cropLevelDeadband = 0 } = config;
  if (!Number.isInteger(inputSize) || inputSize <= 0)
    throw new Error(`${source}: inputSize must be a positive whole number, got ${String(inputSize)}`);
  if (typeof cropMargin !== 'number' || !Number.isFinite(cropMargin) || cropMargin < 0) {
    throw new Error(`${source}: cropMargin must be a number >= 0 (the face crop the run was trained with), got ${String(cropMargin)}`);
  }
  if (!Number.isFinite(cropShiftY)) throw new Error(`${source}: cropShiftY must be a finite number, got ${String(cropShiftY)}`);
  if (typeof cropLevelEyes !== 'boolean') throw new Error(`${source}: cropLevelEyes must be true or false, got ${String(cropLevelEyes)}`);
  if (!(typeof cropLevelDeadband === 'number' && cropLevelDeadband >= 0 && Number.isFinite(cropLevelDeadband)))
    throw new Error(`${source}: cropLevelDeadband must be a number of degrees >= 0, got ${String(cropLevelDeadband)}`);
  return {
    size: inputSize,
    margin: cropMargin,
    shiftY: cropShiftY,
    levelEyes: cropLevelEyes,
    levelDeadband: cropLevelDeadband,
    normalisation: UNIT_NORMALISATION,
  };
}
