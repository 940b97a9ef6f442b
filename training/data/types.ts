import type { Emotion } from '../../src/core/emotions.ts';
import type { FaceToCrop, RawImage } from '../../src/core/preprocess.ts';

/** Valence and arousal, each on -1..1. */
export interface VaTarget {
  valence: number;
  arousal: number;
}

/**
 * One labelled image: metadata only (a few hundred bytes), so millions fit in memory; pixels are read from
 * disk on demand by the dataset's `loadImage`.
 */
export interface Sample {
  /** Unique within the dataset, stable across runs (e.g. `FER2013Train/fer0000000.png`). */
  id: string;
  /** The file the pixels come from. */
  source: string;
  /** Person id, for subject-independent splits. */
  subject?: string;
  /** Video or sequence id for frames of one clip. */
  sequence?: string;
  /** Frame number within `sequence`, as the dataset numbers it (gaps are missing numbers). */
  frameIndex?: number;
  /** Hard class label (majority vote or the dataset's given class). */
  label?: Emotion;
  /** Distribution over the 8 canonical classes (EMOTIONS order), sums to 1. */
  probs?: Float32Array;
  /** Valence/arousal on -1..1: the dataset's own where it has them, else derived from `probs`. */
  va?: VaTarget;
  /** Face box in pixels of the source image; absent when the image is already a face crop. */
  faceBox?: FaceToCrop;
}

export interface Dataset {
  name: string;
  samples: Sample[];
  /** Rows left out while loading, counted per reason (e.g. FER+ majority rule), for statistics. */
  skipped?: Readonly<Record<string, number>>;
  /** Reads and decodes one sample's pixels. Throws DatasetError naming the file when unreadable. */
  loadImage(sample: Sample): Promise<RawImage>;
}

/** Frames of one clip in order, for temporal models. */
export interface Sequence {
  id: string;
  subject?: string;
  /** The clip's emotion where the dataset gives one per clip (CK+). */
  emotion?: Emotion;
  frames: Sample[];
}

export interface SequenceDataset extends Dataset {
  sequences: Sequence[];
}
