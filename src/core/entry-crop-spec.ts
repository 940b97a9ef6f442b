/** The face crop a manifest entry states, as the crop code takes it; no schema code, so the workers can use it. */
import type { ModelEntry } from './manifest.ts';
import { ModelFileError } from './model-file-error.ts';
import type { CropSpec } from './preprocess.ts';

/** The face crop an image model was trained on, as its manifest entry states it (required for face-expression). */
export function entryCropSpec(entry: ModelEntry, file = 'manifest.json'): CropSpec {
  const { shape, cropMargin, cropShiftY, cropLevelEyes = false, cropLevelDeadband = 0, normalisation } = entry.input;
  const size = shape[0];
  if (size === undefined || cropMargin === undefined || cropShiftY === undefined) {
    throw new ModelFileError(file, `gives no face crop for ${entry.name} (input.shape, input.cropMargin and input.cropShiftY)`, 'input');
  }
  return { size, margin: cropMargin, shiftY: cropShiftY, levelEyes: cropLevelEyes, levelDeadband: cropLevelDeadband, normalisation };
}
