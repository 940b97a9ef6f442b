import path from 'node:path';
import { JAFFE_CODES } from '../../src/core/emotions.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { listFolder } from './files.ts';
import { classVa, oneHot } from './targets.ts';
import type { Dataset, Sample } from './types.ts';

/**
 * JAFFE's flat layout (Lyons et al. 1998): `<root>/KA.AN1.39.tiff` = subject KA, expression AN (anger) pose 1,
 * image 39. Files that are not TIFF (READMEs) are ignored; a TIFF with another name pattern or an unknown
 * expression code is an error. Some files are palette-mode TIFFs; decodeImage turns their gray palette into gray.
 */
export async function loadJaffe(root: string): Promise<Dataset> {
  const { files } = await listFolder(root, 'JAFFE');
  const samples: Sample[] = [];
  for (const file of files) {
    if (!/\.tiff?$/i.test(file)) continue;
    const m = /^([A-Za-z]+)\.([A-Za-z]{2})(\d+)\.(\d+)\.tiff?$/i.exec(file);
    if (!m) throw new DatasetError(path.join(root, file), 'name does not match <subject>.<code><pose>.<number>.tiff');
    const [, subject = '', code = ''] = m;
    const label = JAFFE_CODES[code.toUpperCase()];
    if (!label)
      throw new DatasetError(
        path.join(root, file),
        `unknown class: expression code "${code}" (known: ${Object.keys(JAFFE_CODES).join(', ')})`,
      );
    samples.push({
      id: file,
      source: path.join(root, file),
      subject: subject.toUpperCase(),
      label,
      probs: oneHot(label),
      va: classVa(label),
    });
  }
  if (samples.length === 0) throw new DatasetError(root, 'empty split: no JAFFE .tiff files');
  return { name: 'jaffe', samples, loadImage: (s) => readImage(s.source) };
}
