/**
 * The shipped expression CNN's three outputs per face, as the app's worker computes them: the manifest's crop,
 * preprocessFace, mirror-averaging when the manifest says so; the 300-d feature, the class probabilities, and
 * valence/arousal.
 */
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { entryCropSpec } from '../../src/core/manifest.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';
import { preprocessFace, type CropSpec, type RawImage, type FaceToCrop } from '../../src/core/preprocess.ts';
import { readExpressionEntry } from '../peers/our-cnn.ts';
import { fileLoadHandler } from '../util/fs-io.ts';

export interface FaceOutputs {
  readonly features: Float32Array;
  readonly probs: Float32Array;
  readonly va: readonly [number, number];
}

export interface ShippedExpressionModel {
  /** The file and version, for reports. */
  readonly source: string;
  readonly crop: CropSpec;
  /** Outputs for a batch of faces: each image with its detected face box, or whole when it is a face crop. */
  outputs(faces: readonly { image: RawImage; box?: FaceToCrop }[]): FaceOutputs[];
  dispose(): void;
}

const OUTPUTS = ['features', 'classes', 'va'] as const;

export async function loadShippedExpressionModel(modelsDir: string): Promise<ShippedExpressionModel> {
  const { entry, manifestFile } = await readExpressionEntry(modelsDir);
  if (entry.format !== 'tfjs-layers') throw new Error(`${manifestFile}: ${entry.name} is ${entry.format}, expected tfjs-layers`);
  const crop = entryCropSpec(entry, manifestFile);
  const entryFile = path.join(modelsDir, entry.entry);
  const model = await tf.loadLayersModel(fileLoadHandler(path.dirname(entryFile), path.basename(entryFile)));
  const index = OUTPUTS.map((name) => model.outputNames.indexOf(name));
  if (index.some((i) => i < 0)) {
    model.dispose();
    throw new Error(`${entryFile}: needs the outputs ${OUTPUTS.join(', ')} (it has ${model.outputNames.join(', ')})`);
  }
  const labels = entry.outputs.find((o) => o.name === 'classes')?.labels;
  if (labels?.join() !== EMOTIONS.join()) {
    model.dispose();
    throw new Error(
      `${manifestFile}: ${entry.name}'s classes must be ${EMOTIONS.join(', ')} in that order (got ${labels?.join(', ') ?? 'none'})`,
    );
  }
  const mirrorAverage = entry.input.mirrorAverage === true;
  const size = crop.size;
  return {
    source: `${path.relative(process.cwd(), entryFile)} (${entry.name} ${entry.version})`,
    crop,
    outputs(faces) {
      const pixels = new Float32Array(faces.length * size * size);
      faces.forEach((f, i) => pixels.set(preprocessFace(f.image, crop, f.box), i * size * size));
      const x = tf.tensor4d(pixels, [faces.length, size, size, 1]);
      const all = predictFaces(model, x, mirrorAverage);
      x.dispose();
      const [features, probs, va] = index.map((i) => all[i]!.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array];
      tf.dispose(all);
      const featureSize = features.length / faces.length;
      const classes = probs.length / faces.length;
      return faces.map((_, i) => ({
        features: features.slice(i * featureSize, (i + 1) * featureSize),
        probs: probs.slice(i * classes, (i + 1) * classes),
        va: [va[i * 2]!, va[i * 2 + 1]!] as const,
      }));
    },
    dispose() {
      model.dispose();
    },
  };
}
