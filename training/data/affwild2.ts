import path from 'node:path';
import { parseCsvLine, readLines } from './csv.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { isFolder, listFolder } from './files.ts';
import type { Sample, Sequence, SequenceDataset } from './types.ts';

export type AffWild2Split = 'train' | 'validation';

export const AFFWILD2_SPLIT_FOLDERS: Readonly<Record<AffWild2Split, string>> = {
  train: 'Train_Set',
  validation: 'Validation_Set',
};

/** The ABAW annotation files' marker for a frame without a valence/arousal label. */
export const AFFWILD2_NO_LABEL = -5;

export const SKIP_NO_LABEL = 'no label (-5)';
export const SKIP_NO_FACE_IMAGE = 'no face image';

export interface AffWild2Options {
  split: AffWild2Split;
  /** Folder holding Train_Set/ and Validation_Set/ (default `<root>/VA_Set`). */
  annotations?: string;
}

/**
 * Aff-Wild2 (ABAW VA track): `<root>/cropped_aligned/<video>/<frame>.jpg` (frame numbers from 00001) and
 * `<annotations>/<Split>_Set/<video>.txt` with header `valence,arousal` and one line per video frame, line n
 * (after the header) for frame n, values on -1..1 used as they are. Frames labelled -5 or without an aligned face
 * image are gaps: no sample, counted in `skipped`, visible in a sequence as missing frameIndex values (so windows
 * for a temporal model can require consecutive frames). The video is the subject: ABAW gives no person ids, and
 * `_left`/`_right` videos are different people.
 */
export async function loadAffWild2(root: string, options: AffWild2Options): Promise<SequenceDataset> {
  const labelDir = path.join(options.annotations ?? path.join(root, 'VA_Set'), AFFWILD2_SPLIT_FOLDERS[options.split]);
  const imagesDir = path.join(root, 'cropped_aligned');
  const { files } = await listFolder(labelDir, `Aff-Wild2 ${options.split} annotation`);
  if (!(await isFolder(imagesDir))) throw new DatasetError(imagesDir, 'Aff-Wild2 cropped_aligned folder not found');
  const skipped: Record<string, number> = { [SKIP_NO_LABEL]: 0, [SKIP_NO_FACE_IMAGE]: 0 };
  const sequences: Sequence[] = [];
  for (const file of files.filter((f) => f.endsWith('.txt'))) {
    const video = file.slice(0, -'.txt'.length);
    const labelFile = path.join(labelDir, file);
    const videoDir = path.join(imagesDir, video);
    if (!(await isFolder(videoDir))) throw new DatasetError(labelFile, `labels for video ${video}, but ${videoDir} does not exist`);
    const images = await frameImages(videoDir);
    const frames: Sample[] = [];
    let header = true;
    for await (const line of readLines(labelFile)) {
      if (header) {
        if (line.text.trim().toLowerCase().replace(/\s/g, '') !== 'valence,arousal') {
          throw new DatasetError(labelFile, `header must be "valence,arousal", got "${line.text}"`);
        }
        header = false;
        continue;
      }
      if (line.text.trim() === '') continue;
      const where = `${labelFile} line ${line.number}`;
      const frameIndex = line.number - 1;
      const fields = parseCsvLine(line.text);
      const [valence, arousal] = fields.map(Number);
      if (fields.length !== 2 || valence === undefined || arousal === undefined || !Number.isFinite(valence) || !Number.isFinite(arousal)) {
        throw new DatasetError(where, `expected "valence,arousal" numbers, got "${line.text}"`);
      }
      if (valence === AFFWILD2_NO_LABEL || arousal === AFFWILD2_NO_LABEL) {
        skipped[SKIP_NO_LABEL] = (skipped[SKIP_NO_LABEL] ?? 0) + 1;
        continue;
      }
      if (Math.abs(valence) > 1 || Math.abs(arousal) > 1)
        throw new DatasetError(where, `valence/arousal ${valence},${arousal} outside -1..1`);
      const image = images.get(frameIndex);
      if (!image) {
        skipped[SKIP_NO_FACE_IMAGE] = (skipped[SKIP_NO_FACE_IMAGE] ?? 0) + 1;
        continue;
      }
      frames.push({
        id: `${video}/${image}`,
        source: path.join(videoDir, image),
        subject: video,
        sequence: video,
        frameIndex,
        va: { valence, arousal },
      });
    }
    if (header) throw new DatasetError(labelFile, 'empty annotation file (no header)');
    sequences.push({ id: video, subject: video, frames });
  }
  const samples = sequences.flatMap((s) => s.frames);
  if (samples.length === 0) throw new DatasetError(labelDir, 'empty split: no labelled frames with a face image');
  return { name: `affwild2/${options.split}`, samples, sequences, skipped, loadImage: (s) => readImage(s.source) };
}

/** Frame number -> file name of a video's aligned face crops (`00001.jpg`). */
async function frameImages(dir: string): Promise<Map<number, string>> {
  const { files } = await listFolder(dir, 'Aff-Wild2 video');
  const images = new Map<number, string>();
  for (const f of files) {
    const m = /^(\d+)\.(jpe?g|png)$/i.exec(f);
    if (m) images.set(Number(m[1]), f);
  }
  return images;
}
