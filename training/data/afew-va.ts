import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Box } from '../../src/core/preprocess.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { isImageName, listFolder } from './files.ts';
import type { Sample, Sequence, SequenceDataset } from './types.ts';

/** AFEW-VA rates valence and arousal as integers on -10..10 (Kossaifi et al. 2017); targets use -1..1. */
export const AFEW_VA_SCALE = 10;

const frameSchema = z.object({
  valence: z.number().min(-AFEW_VA_SCALE).max(AFEW_VA_SCALE),
  arousal: z.number().min(-AFEW_VA_SCALE).max(AFEW_VA_SCALE),
  landmarks: z.array(z.tuple([z.number(), z.number()])).optional(),
});
const clipSchema = z.object({
  actor: z.string().optional(),
  video_id: z.string().optional(),
  frames: z.record(z.string(), frameSchema),
});

/**
 * AFEW-VA: `<root>/<clip>/<clip>.json` ({actor, video_id, frames: {"00000": {valence, arousal, landmarks}}})
 * beside the clip's frames `<clip>/00000.png`. Valence/arousal are the annotators' own, scaled to -1..1.
 * The face box is the bounding box of the 68 landmarks (the frames are whole movie frames); the actor is the subject.
 * A labelled frame without its image is an error; images without labels are ignored.
 */
export async function loadAfewVa(root: string): Promise<SequenceDataset> {
  const { folders } = await listFolder(root, 'AFEW-VA');
  const sequences: Sequence[] = [];
  for (const clip of folders) {
    const dir = path.join(root, clip);
    const jsonFile = path.join(dir, `${clip}.json`);
    const { files } = await listFolder(dir, 'AFEW-VA clip');
    if (!files.includes(`${clip}.json`)) throw new DatasetError(jsonFile, 'missing label file for this clip');
    const images = new Map<string, string>();
    for (const f of files) if (isImageName(f)) images.set(f.replace(/\.[^.]+$/, ''), f);
    let parsed: z.infer<typeof clipSchema>;
    try {
      parsed = clipSchema.parse(JSON.parse(await readFile(jsonFile, 'utf8')));
    } catch (e) {
      const detail =
        e instanceof z.ZodError
          ? e.issues
              .map((i) => `${i.path.join('.')}: ${i.message}`)
              .slice(0, 3)
              .join('; ')
          : e instanceof Error
            ? e.message
            : String(e);
      throw new DatasetError(jsonFile, `malformed AFEW-VA labels (${detail})`);
    }
    const frames: Sample[] = [];
    for (const [key, f] of Object.entries(parsed.frames)) {
      const image = images.get(key);
      if (!image) throw new DatasetError(jsonFile, `frame ${key} has labels but ${path.join(dir, `${key}.png`)} does not exist`);
      if (!/^\d+$/.test(key)) throw new DatasetError(jsonFile, `frame key "${key}" is not a frame number`);
      frames.push({
        id: `${clip}/${image}`,
        source: path.join(dir, image),
        subject: parsed.actor,
        sequence: clip,
        frameIndex: Number(key),
        va: { valence: f.valence / AFEW_VA_SCALE, arousal: f.arousal / AFEW_VA_SCALE },
        faceBox: f.landmarks && f.landmarks.length > 0 ? landmarkBox(f.landmarks) : undefined,
      });
    }
    frames.sort((a, b) => (a.frameIndex ?? 0) - (b.frameIndex ?? 0));
    sequences.push({ id: clip, subject: parsed.actor, frames });
  }
  const samples = sequences.flatMap((s) => s.frames);
  if (samples.length === 0) throw new DatasetError(root, 'empty split: no labelled AFEW-VA frames');
  return { name: 'afew-va', samples, sequences, loadImage: (s) => readImage(s.source) };
}

function landmarkBox(points: readonly (readonly [number, number])[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
