/**
 * Evaluation on datasets whose images are whole frames (a face somewhere in a scene: JAFFE portraits, CK+
 * sequences, AFEW-VA video frames) as the app sees a camera frame: the app's detector finds the face
 * (box-cache.ts, cached), and the model's square crop (its manifest's or run config's margin and shift) frames it. Datasets of
 * face crops (FER2013, FER+, CK+48, Aff-Wild2's cropped_aligned) are used whole.
 */
import { squareCropBox, type Box, type RawImage } from '../../src/core/preprocess.ts';
import type { Layout } from '../data/open.ts';
import type { Dataset, Sample } from '../data/types.ts';
import { attachFaceBoxes, type AttachFaceBoxesOptions } from './box-cache.ts';

/** auto: detect faces in whole-frame layouts only; detect: always; whole: never (each image is the face). */
export const FACE_FRAMINGS = ['auto', 'detect', 'whole'] as const;
export type FaceFraming = (typeof FACE_FRAMINGS)[number];

/** Layouts whose images are whole frames rather than face crops. */
const FULL_FRAME_LAYOUTS: ReadonlySet<Layout> = new Set<Layout>(['ckplus', 'jaffe', 'afew-va']);

export function parseFaceFraming(raw: string | undefined): FaceFraming {
  const value = raw ?? 'auto';
  if (!(FACE_FRAMINGS as readonly string[]).includes(value))
    throw new Error(`--faces must be one of ${FACE_FRAMINGS.join(', ')}, got "${value}"`);
  return value as FaceFraming;
}

/** Whether a dataset of this layout is evaluated on detected faces. */
export function detectsFaces(layout: Layout, framing: FaceFraming): boolean {
  return framing === 'detect' || (framing === 'auto' && FULL_FRAME_LAYOUTS.has(layout));
}

/** The square crop around a face box (CropSpec.margin and shiftY) of the model the faces are framed for. */
export interface FaceCrop {
  readonly margin: number;
  readonly shiftY: number;
  readonly levelEyes?: boolean;
  readonly levelDeadband?: number;
}

export interface FramedDataset {
  /** The samples that have a face box (from the dataset, e.g. AFEW-VA's landmarks, or the detector). */
  dataset: Dataset;
  /** Samples left out because no face was found in them. */
  noFace: number;
  /** In words, for reports. */
  framing: string;
}

/** Attaches a face box to every sample (detector, cached) and leaves out the samples without a face. */
export async function frameFaces(dataset: Dataset, crop: FaceCrop, options: AttachFaceBoxesOptions = {}): Promise<FramedDataset> {
  const report = await attachFaceBoxes(dataset, options);
  const missing = new Set<Sample>(report.noFace);
  const samples = dataset.samples.filter((s) => !missing.has(s) && s.faceBox !== undefined);
  return {
    dataset: { ...dataset, samples },
    noFace: missing.size,
    framing:
      `faces found by the app's detector (BlazeFace short-range, src/core/blazeface-detector.ts; the largest face) and cropped square as the app ` +
      `crops them for this model (margin ${crop.margin}, shift ${crop.shiftY}${crop.levelEyes === true ? `, turned so the eyes are level (rolls beyond ${crop.levelDeadband ?? 0} degrees)` : ''}); ${missing.size} of ${dataset.samples.length} images without a face left out`,
  };
}

/**
 * The pixels of `region` (may extend past the image: edge pixels repeat, as preprocessFace resamples), at the
 * image's own resolution and channels, rounded outward to whole pixels.
 */
export function cropRegion(image: RawImage, region: Box): RawImage {
  const x0 = Math.floor(region.x);
  const y0 = Math.floor(region.y);
  const width = Math.max(1, Math.ceil(region.x + region.width) - x0);
  const height = Math.max(1, Math.ceil(region.y + region.height) - y0);
  const { channels } = image;
  const data = new Uint8ClampedArray(width * height * channels);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, y0 + y));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, x0 + x));
      const from = (sy * image.width + sx) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[to + c] = image.data[from + c] ?? 0;
    }
  }
  return { data, width, height, channels };
}

/**
 * The same dataset whose images are `crop` around each sample's face box, for models that take the whole image
 * as the face (the peers, and ours given the same images); samples without a box are used whole.
 */
export function croppedToFaces(dataset: Dataset, crop: FaceCrop): Dataset {
  return {
    ...dataset,
    samples: dataset.samples,
    async loadImage(sample: Sample): Promise<RawImage> {
      const image = await dataset.loadImage(sample);
      return sample.faceBox ? cropRegion(image, squareCropBox(sample.faceBox, crop.margin, crop.shiftY)) : image;
    },
  };
}
