/**
 * The shipped expression CNN, whatever `public/models/manifest.json` currently names for face-expression:
 * input size, normalisation and label order come from the manifest, preprocessing is preprocessFace (the one
 * used in training and in the app), and the score is the `classes` output.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { entryCropSpec, modelForTask, parseManifest, type ModelEntry } from '../../src/core/manifest.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';
import { preprocessFace, type RawImage } from '../../src/core/preprocess.ts';
import { fileLoadHandler } from '../util/fs-io.ts';
import { toEmotions } from './labels.ts';
import type { EmotionClassifier } from './types.ts';

const CLASSES_OUTPUT = 'classes';

export async function readExpressionEntry(modelsDir: string): Promise<{ entry: ModelEntry; manifestFile: string }> {
  const manifestFile = path.join(modelsDir, 'manifest.json');
  const manifest = parseManifest(await readFile(manifestFile, 'utf8'), manifestFile);
  return { entry: modelForTask(manifest, 'face-expression', manifestFile), manifestFile };
}

/** The face crop our model was trained on, as `<modelsDir>/manifest.json` states it (the crop the app uses live). */
export async function ourFaceCrop(modelsDir: string): Promise<{ margin: number; shiftY: number }> {
  const { entry, manifestFile } = await readExpressionEntry(modelsDir);
  const { margin, shiftY = 0 } = entryCropSpec(entry, manifestFile);
  return { margin, shiftY };
}

/** Loads the face-expression model listed in `<modelsDir>/manifest.json`. */
export async function loadOurCnn(modelsDir: string): Promise<EmotionClassifier> {
  const { entry, manifestFile } = await readExpressionEntry(modelsDir);
  if (entry.format !== 'tfjs-layers') throw new Error(`${manifestFile}: ${entry.name} is ${entry.format}, expected tfjs-layers`);
  const [size, width, channels] = entry.input.shape;
  if (size === undefined || width !== size || channels !== 1)
    throw new Error(`${manifestFile}: ${entry.name} input ${JSON.stringify(entry.input.shape)} is not [n, n, 1]`);
  const classes = entry.outputs.find((o) => o.name === CLASSES_OUTPUT);
  if (!classes?.labels) throw new Error(`${manifestFile}: ${entry.name} has no "${CLASSES_OUTPUT}" output with labels`);
  const entryFile = path.join(modelsDir, entry.entry);
  const model = await tf.loadLayersModel(fileLoadHandler(path.dirname(entryFile), path.basename(entryFile)));
  const index = model.outputNames.indexOf(CLASSES_OUTPUT);
  if (index < 0) {
    model.dispose();
    throw new Error(`${entryFile}: no output named "${CLASSES_OUTPUT}" (outputs: ${model.outputNames.join(', ')})`);
  }
  const spec = { size, margin: 0, normalisation: entry.input.normalisation };
  const mirrorAverage = entry.input.mirrorAverage === true;
  return {
    name: 'ours',
    source: `${path.relative(process.cwd(), entryFile)} (${entry.name} ${entry.version})`,
    preprocessing:
      `preprocessFace: BT.601 gray, the whole image, area/bilinear resample to ${size}x${size}, x * ${entry.input.normalisation.scale.toPrecision(6)} + ${entry.input.normalisation.offset} (src/core/preprocess.ts)` +
      (mirrorAverage ? '; outputs averaged over the face and its mirror image (src/core/mirror-average.ts)' : ''),
    labels: toEmotions(classes.labels, manifestFile),
    classify(image: RawImage): Float32Array {
      const input = tf.tensor4d(preprocessFace(image, spec), [1, size, size, 1]);
      const all = predictFaces(model, input, mirrorAverage);
      input.dispose();
      const out = all[index]?.dataSync() as Float32Array | undefined;
      tf.dispose(all);
      if (out?.length !== classes.size)
        throw new Error(`${entryFile}: "${CLASSES_OUTPUT}" gave ${out?.length} values, manifest says ${classes.size}`);
      return out;
    },
    dispose(): void {
      model.dispose();
    },
  };
}
