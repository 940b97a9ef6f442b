/**
 * Stage 2 data: per-frame 300-d CNN features of real sequences (CK+, faces found by the app's own detector and
 * cropped with the app's preprocessing) and of sequences synthesised from stills (training only), cut into
 * gap-free windows. Features are 1.2 KB per frame, so even Aff-Wild2's 1.5 M frames (1.8 GB) fit in memory;
 * the images themselves are streamed once.
 */
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import { circumplexPoint, type Emotion } from '../../src/core/emotions.ts';
import { predictFaces } from '../../src/core/mirror-average.ts';
import { preprocessFace, UNIT_NORMALISATION, type CropSpec, type RawImage } from '../../src/core/preprocess.ts';
import type { RnnConfig } from '../config/config.ts';
import { runCropSpec, type RunCrop } from '../config/crop-spec.ts';
import { loadCkPlus } from './ckplus.ts';
import { loadFerPlus } from './ferplus.ts';
import type { Sample, SequenceDataset } from './types.ts';
import { holdOutBySubject } from './splits.ts';
import { createRng, deriveSeed, randomInt } from '../util/rng.ts';
import { synthesizeClip } from '../sequences/synthetic.ts';
import { FEATURE_SIZE, type FeatureSequence } from '../sequences/windows.ts';
import { createProgress } from '../util/progress.ts';
import { DatasetError } from './errors.ts';

/**
 * A CNN cut at its 'features' layer, and whether its features are averaged over each face and its mirror image
 * as the app computes them (src/core/mirror-average.ts; the shipped manifest's input.mirrorAverage).
 */
export interface FeatureExtractor {
  readonly model: tf.LayersModel;
  readonly mirrorAverage: boolean;
}

/** Runs the feature extractor over preprocessed frames in batches; returns T x 300. */
export async function extractFeatures(
  extractor: FeatureExtractor,
  frames: readonly Float32Array[],
  size: number,
  batch = 128,
): Promise<Float32Array> {
  const out = new Float32Array(frames.length * FEATURE_SIZE);
  for (let i = 0; i < frames.length; i += batch) {
    const chunk = frames.slice(i, i + batch);
    const flat = new Float32Array(chunk.length * size * size);
    chunk.forEach((f, k) => flat.set(f, k * size * size));
    const x = tf.tensor4d(flat, [chunk.length, size, size, 1]);
    const ys = predictFaces(extractor.model, x, extractor.mirrorAverage);
    out.set(await ys[0]!.data(), i * FEATURE_SIZE);
    tf.dispose([x, ...ys]);
  }
  return out;
}

/**
 * Per-frame targets of a neutral-to-apex clip: linear in frame position from the origin (neutral, first
 * frame) to the emotion's circumplex point (apex, last frame).
 */
export function onsetTargets(emotion: Emotion, length: number): Float32Array {
  const apex = circumplexPoint(emotion);
  const t = new Float32Array(length * 2);
  for (let i = 0; i < length; i++) {
    const p = length > 1 ? i / (length - 1) : 1;
    t[2 * i] = p * apex.valence;
    t[2 * i + 1] = p * apex.arousal;
  }
  return t;
}

export interface RealSequences {
  sequences: FeatureSequence[];
  framesWithoutFace: number;
}

/** CK+-layout sequences -> features; frames where the detector found no face are gaps. */
export async function realSequenceFeatures(
  dataset: SequenceDataset,
  extractor: FeatureExtractor,
  spec: CropSpec,
  quiet = false,
): Promise<RealSequences> {
  const sequences: FeatureSequence[] = [];
  let framesWithoutFace = 0;
  const total = dataset.sequences.reduce((n, s) => n + s.frames.length, 0);
  const bar = quiet ? undefined : createProgress('features (real sequences)', total, 'frame');
  let done = 0;
  for (const s of dataset.sequences) {
    if (!s.emotion) continue;
    const T = s.frames.length;
    const present = new Uint8Array(T);
    const frames: Float32Array[] = [];
    const index: number[] = [];
    for (const [t, f] of s.frames.entries()) {
      if (!f.faceBox) {
        framesWithoutFace++;
        continue;
      }
      frames.push(preprocessFace(await dataset.loadImage(f), spec, f.faceBox));
      index.push(t);
      present[t] = 1;
    }
    const feats = await extractFeatures(extractor, frames, spec.size);
    const features = new Float32Array(T * FEATURE_SIZE);
    index.forEach((t, k) => features.set(feats.subarray(k * FEATURE_SIZE, (k + 1) * FEATURE_SIZE), t * FEATURE_SIZE));
    sequences.push({
      id: s.id,
      subject: s.subject,
      emotion: s.emotion,
      features,
      targets: onsetTargets(s.emotion, T),
      present,
      labelled: new Uint8Array(T).fill(1),
    });
    done += T;
    bar?.tick(done);
  }
  bar?.end();
  return { sequences, framesWithoutFace };
}

/** Synthetic clips from labelled stills: half start neutral (like CK+), half move between two expressions. */
export async function syntheticSequenceFeatures(
  stills: readonly Sample[],
  loadImage: (s: Sample) => Promise<RawImage>,
  extractor: FeatureExtractor,
  size: number,
  count: number,
  length: number,
  seed: number,
  quiet = false,
): Promise<FeatureSequence[]> {
  const rng = createRng(deriveSeed(seed, 17));
  const labelled = stills.filter((s) => s.label && s.va);
  if (labelled.length === 0) throw new Error('synthetic sequences: no labelled stills with valence/arousal');
  const neutral = labelled.filter((s) => s.label === 'neutral');
  const spec: CropSpec = { size, margin: 0, normalisation: UNIT_NORMALISATION };
  const out: FeatureSequence[] = [];
  const bar = quiet ? undefined : createProgress('features (synthetic sequences)', count, 'clip');
  for (let i = 0; i < count; i++) {
    const pick = (pool: readonly Sample[]): Sample => pool[randomInt(rng, pool.length)]!;
    const a = rng() < 0.5 && neutral.length > 0 ? pick(neutral) : pick(labelled);
    const b = pick(labelled);
    const [ia, ib] = await Promise.all([loadImage(a), loadImage(b)]);
    const clip = synthesizeClip(
      preprocessFace(ia, spec, a.faceBox),
      preprocessFace(ib, spec, b.faceBox),
      [a.va!.valence, a.va!.arousal],
      [b.va!.valence, b.va!.arousal],
      rng,
      { size, length },
    );
    const features = await extractFeatures(extractor, clip.frames, size);
    out.push({
      id: `synthetic-${i}`,
      features,
      targets: clip.targets,
      present: new Uint8Array(length).fill(1),
      labelled: new Uint8Array(length).fill(1),
    });
    bar?.tick(i + 1);
  }
  bar?.end();
  return out;
}

export interface RnnDataSets {
  train: FeatureSequence[];
  val: FeatureSequence[];
  valSubjects: string[];
  describe: string;
}

/** Face boxes for a sequence dataset: attached in place by the caller's detector (the app's BlazeFace). */
export type AttachBoxes = (dataset: SequenceDataset) => Promise<{ withoutFace: number }>;

export async function buildRnnData(
  config: RnnConfig,
  extractor: FeatureExtractor,
  cnn: RunCrop,
  attachBoxes: AttachBoxes,
  quiet = false,
): Promise<RnnDataSets> {
  const ck = await loadCkPlus(config.data);
  const labelledSeqs = ck.sequences.filter((s) => s.emotion);
  if (labelledSeqs.length === 0) throw new DatasetError(config.data, 'no labelled sequences (Emotion/ files)');
  await attachBoxes(ck);
  // Detected boxes are cropped as the app crops them live.
  const spec = runCropSpec(cnn, `${config.cnn}: its config.json`);
  const real = await realSequenceFeatures(ck, extractor, spec, quiet);

  let valSubjects = config.valSubjects;
  if (valSubjects.length === 0) {
    const split = holdOutBySubject(real.sequences, 0.3, config.seed);
    valSubjects = [...new Set(split.test.map((s) => s.subject ?? ''))].sort();
  }
  const isVal = (s: FeatureSequence): boolean => valSubjects.includes(s.subject ?? '');
  const val = real.sequences.filter(isVal);
  const train = real.sequences.filter((s) => !isVal(s));
  if (val.length === 0) throw new DatasetError(config.data, `no sequence of the validation subjects ${valSubjects.join(', ')}`);

  let synthetic: FeatureSequence[] = [];
  if (config.syntheticSequences > 0) {
    const fer = await loadFerPlus(config.stills, { split: 'train' });
    synthetic = await syntheticSequenceFeatures(
      fer.samples,
      (s) => fer.loadImage(s),
      extractor,
      cnn.inputSize,
      config.syntheticSequences,
      config.syntheticLength,
      config.seed,
      quiet,
    );
  }
  return {
    train: [...train, ...synthetic],
    val,
    valSubjects,
    describe:
      `real ${path.basename(config.data)}: ${train.length} train / ${val.length} val sequences (val subjects ${valSubjects.join(', ')}), ` +
      `${real.framesWithoutFace} frames without a face; synthetic: ${synthetic.length} x ${config.syntheticLength} frames`,
  };
}
