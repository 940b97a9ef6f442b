import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CKPLUS_CODES } from '../../src/core/emotions.ts';
import type { Emotion } from '../../src/core/emotions.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { isFolder, isImageName, listFolder } from './files.ts';
import { parseCkPlusName } from './image-folder.ts';
import { classVa, oneHot } from './targets.ts';
import type { Sample, Sequence, SequenceDataset } from './types.ts';

export interface CkPlusOptions {
  /** Keep the sequences that have no Emotion file (about 45% of full CK+); they carry only the neutral first frame. */
  includeUnlabelled?: boolean;
}

/**
 * The official CK+ layout: `<root>/cohn-kanade-images/Sxxx/yyy/Sxxx_yyy_0000NNNN.png` and, for labelled
 * sequences, `<root>/Emotion/Sxxx/yyy/Sxxx_yyy_<apex frame>_emotion.txt` holding one CK+ code (0..7).
 * Every sequence goes from neutral to the apex (Lucey et al. 2010), so the first frame is labelled neutral,
 * the frame the Emotion file names (the last) gets the sequence's emotion, and the frames between stay
 * unlabelled: which of them count as expressive is the caller's choice (CK+48 uses the last three).
 * `samples` holds every frame of the kept sequences; `sequences` the same frames per sequence, in order.
 */
export async function loadCkPlus(root: string, options: CkPlusOptions = {}): Promise<SequenceDataset> {
  const imagesDir = path.join(root, 'cohn-kanade-images');
  const emotionDir = path.join(root, 'Emotion');
  const { folders: subjects } = await listFolder(imagesDir, 'CK+ cohn-kanade-images');
  if (!(await isFolder(emotionDir))) throw new DatasetError(emotionDir, 'CK+ Emotion folder not found');
  const sequences: Sequence[] = [];
  for (const subject of subjects) {
    const { folders: seqs } = await listFolder(path.join(imagesDir, subject), 'CK+ subject');
    for (const seq of seqs) {
      const dir = path.join(imagesDir, subject, seq);
      const id = `${subject}_${seq}`;
      const frames = await readFrames(dir, subject, id);
      const apex = await readEmotion(path.join(emotionDir, subject, seq), id);
      if (!apex && !options.includeUnlabelled) continue;
      const first = frames[0];
      if (first) setLabel(first, 'neutral');
      if (apex) {
        const last = frames[frames.length - 1];
        if (!frames.some((f) => f.frameIndex === apex.frame)) {
          throw new DatasetError(apex.file, `names frame ${apex.frame}, which is not in ${dir}`);
        }
        for (const f of frames) if (f.frameIndex === apex.frame) setLabel(f, apex.emotion);
        if (last && last.frameIndex !== apex.frame) {
          throw new DatasetError(apex.file, `apex frame ${apex.frame} is not the sequence's last frame (${last.frameIndex})`);
        }
      }
      sequences.push({ id, subject, emotion: apex?.emotion, frames });
    }
  }
  if (sequences.length === 0) throw new DatasetError(imagesDir, 'empty split: no labelled sequences');
  return {
    name: 'ckplus',
    samples: sequences.flatMap((s) => s.frames),
    sequences,
    loadImage: (s) => readImage(s.source),
  };
}

function setLabel(sample: Sample, label: Emotion): void {
  sample.label = label;
  sample.probs = oneHot(label);
  sample.va = classVa(label);
}

async function readFrames(dir: string, subject: string, sequence: string): Promise<Sample[]> {
  const { files } = await listFolder(dir, 'CK+ sequence');
  const frames: Sample[] = [];
  for (const file of files) {
    if (!isImageName(file)) continue;
    const ids = parseCkPlusName(file);
    if (!ids || ids.sequence !== sequence)
      throw new DatasetError(path.join(dir, file), `frame name does not match ${sequence}_<frame>.png`);
    frames.push({ id: `${subject}/${file}`, source: path.join(dir, file), subject, sequence, frameIndex: ids.frameIndex });
  }
  if (frames.length === 0) throw new DatasetError(dir, 'empty sequence: no frames');
  return frames.sort((a, b) => (a.frameIndex ?? 0) - (b.frameIndex ?? 0));
}

async function readEmotion(dir: string, sequence: string): Promise<{ emotion: Emotion; frame: number; file: string } | undefined> {
  if (!(await isFolder(dir))) return undefined;
  const { files } = await listFolder(dir, 'CK+ Emotion');
  const labels = files.filter((f) => f.endsWith('_emotion.txt'));
  if (labels.length === 0) return undefined;
  if (labels.length > 1) throw new DatasetError(dir, `${labels.length} emotion files for one sequence`);
  const name = labels[0] ?? '';
  const file = path.join(dir, name);
  const m = new RegExp(`^${sequence}_(\\d+)_emotion\\.txt$`).exec(name);
  if (!m) throw new DatasetError(file, `file name does not match ${sequence}_<frame>_emotion.txt`);
  const text = (await readFile(file, 'utf8')).trim();
  const code = Number(text);
  const emotion = Number.isInteger(code) ? CKPLUS_CODES[code] : undefined;
  if (!emotion) throw new DatasetError(file, `unknown class: "${text}" is not a CK+ emotion code 0..7`);
  return { emotion, frame: Number(m[1]), file };
}
