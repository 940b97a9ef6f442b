import path from 'node:path';
import { FOLDER_NAMES } from '../../src/core/emotions.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { isImageName, listFolder } from './files.ts';
import { classVa, oneHot } from './targets.ts';
import type { Dataset, Sample } from './types.ts';

/** CK+ ids in a file name: `S005_001_00000011.png` -> subject S005, sequence S005_001, frame 11. */
export function parseCkPlusName(name: string): { subject: string; sequence: string; frameIndex: number } | undefined {
  const m = /^(S\d+)_(\d+)_(\d+)\.[A-Za-z]+$/.exec(name);
  if (!m) return undefined;
  const [, subject = '', seq = '', frame = ''] = m;
  return { subject, sequence: `${subject}_${seq}`, frameIndex: Number(frame) };
}

/**
 * Class-per-folder layout (CK+48, Kaggle's FER2013 images): `<root>/<class>/<image>`. Folder names map through
 * FOLDER_NAMES (case-insensitive: `angry`, `Happy`, `sadness` ...); any other folder is an error rather than
 * silently ignored. CK+ file names also give subject, sequence and frame number.
 */
export async function loadImageFolder(root: string, name = `image-folder/${path.basename(root)}`): Promise<Dataset> {
  const { folders } = await listFolder(root, 'image dataset');
  if (folders.length === 0) throw new DatasetError(root, 'empty split: no class folders');
  const samples: Sample[] = [];
  for (const folder of folders) {
    const label = FOLDER_NAMES[folder.toLowerCase()];
    const dir = path.join(root, folder);
    if (!label) throw new DatasetError(dir, `unknown class folder "${folder}" (known: ${Object.keys(FOLDER_NAMES).join(', ')})`);
    const { files } = await listFolder(dir, 'class');
    for (const file of files) {
      if (!isImageName(file)) throw new DatasetError(path.join(dir, file), 'not an image file (expected .png, .jpg or .tiff)');
      const ids = parseCkPlusName(file);
      samples.push({ id: `${folder}/${file}`, source: path.join(dir, file), ...ids, label, probs: oneHot(label), va: classVa(label) });
    }
  }
  if (samples.length === 0) throw new DatasetError(root, 'empty split: class folders hold no images');
  return { name, samples, loadImage: (s) => readImage(s.source) };
}
