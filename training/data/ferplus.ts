import path from 'node:path';
import { FER2013_CODES, FERPLUS_VOTE_COLUMNS } from '../../src/core/emotions.ts';
import type { Emotion } from '../../src/core/emotions.ts';
import { parseCsvLine, readLines } from './csv.ts';
import { readImage } from './decode.ts';
import { DatasetError } from './errors.ts';
import { isFile, isFolder, listFolder } from './files.ts';
import { derivedVa, ferPlusMajority, voteDistribution } from './targets.ts';
import type { Dataset, Sample } from './types.ts';

export type FerPlusSplit = 'train' | 'valid' | 'test';

/** FER+ folder of each split (FER2013 Usage: Training, PublicTest, PrivateTest). */
export const FERPLUS_FOLDERS: Readonly<Record<FerPlusSplit, string>> = {
  train: 'FER2013Train',
  valid: 'FER2013Valid',
  test: 'FER2013Test',
};

export interface FerPlusOptions {
  split: FerPlusSplit;
  /**
   * Label each image with its original FER2013 7-class label from `fer2013-original-labels.csv` (beside
   * `data/`) instead of the FER+ majority vote. `probs` and `va` still come from the FER+ votes.
   */
  originalLabels?: boolean;
  /** Keep images that have votes but no label (no FER+ majority, or no recovered FER2013 label). */
  keepUnlabelled?: boolean;
}

export const SKIP_NO_EMOTION_VOTES = 'no emotion votes (only unknown / not a face)';
export const SKIP_NO_MAJORITY = 'no FER+ majority (ambiguous, unknown or not a face)';
export const SKIP_NO_ORIGINAL_LABEL = 'no recovered FER2013 label';

/**
 * FER+ layout: `<root>/data/FER2013{Train,Valid,Test}/ferNNNNNNN.png` with a `label.csv` per folder
 * (image name, face box, then the 10 vote columns). `root` may also be the `data/` folder itself.
 * Targets: `label` = FER+ majority (see ferPlusMajority) or the original label; `probs` = vote distribution;
 * `va` = its expected circumplex position. Images without any emotion vote are always left out.
 */
export async function loadFerPlus(root: string, options: FerPlusOptions): Promise<Dataset> {
  const dataDir = (await isFolder(path.join(root, 'data'))) ? path.join(root, 'data') : root;
  const folder = FERPLUS_FOLDERS[options.split];
  const dir = path.join(dataDir, folder);
  const labelFile = path.join(dir, 'label.csv');
  const { files } = await listFolder(dir, `FER+ ${options.split} split`);
  const images = new Set(files.filter((f) => f.toLowerCase().endsWith('.png')));
  if (!(await isFile(labelFile))) throw new DatasetError(labelFile, 'missing label.csv (FER+ vote file)');
  const original = options.originalLabels
    ? await readOriginalLabels(path.join(path.dirname(dataDir), 'fer2013-original-labels.csv'))
    : undefined;

  const samples: Sample[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const seen = new Set<string>();
  for await (const line of readLines(labelFile)) {
    if (line.text.trim() === '') continue;
    const where = `${labelFile} line ${line.number}`;
    const fields = parseCsvLine(line.text);
    if (fields.length !== 2 + FERPLUS_VOTE_COLUMNS.length) {
      throw new DatasetError(
        where,
        `expected ${2 + FERPLUS_VOTE_COLUMNS.length} columns (image, face box, ${FERPLUS_VOTE_COLUMNS.length} votes), got ${fields.length}`,
      );
    }
    const name = (fields[0] ?? '').trim();
    if (seen.has(name)) throw new DatasetError(where, `duplicate row for ${name}`);
    seen.add(name);
    if (!images.has(name)) throw new DatasetError(where, `label row for ${name}, but ${path.join(dir, name)} does not exist`);
    const votes = fields.slice(2).map((v, i) => {
      const n = Number(v);
      if (v.trim() === '' || !Number.isInteger(n) || n < 0) {
        throw new DatasetError(where, `bad vote count "${v}" for ${FERPLUS_VOTE_COLUMNS[i]} (expected a whole number >= 0)`);
      }
      return n;
    });
    if (votes.every((v) => v === 0)) throw new DatasetError(where, `bad vote count: ${name} has no votes at all`);
    const probs = voteDistribution(votes);
    if (!probs) {
      skip(SKIP_NO_EMOTION_VOTES);
      continue;
    }
    const id = `${folder}/${name}`;
    let label: Emotion | undefined;
    if (original) {
      label = original.get(id);
      if (!label && !options.keepUnlabelled) {
        skip(SKIP_NO_ORIGINAL_LABEL);
        continue;
      }
    } else {
      label = ferPlusMajority(votes);
      if (!label && !options.keepUnlabelled) {
        skip(SKIP_NO_MAJORITY);
        continue;
      }
    }
    samples.push({ id, source: path.join(dir, name), label, probs, va: derivedVa(probs) });
  }
  if (seen.size === 0) throw new DatasetError(labelFile, `empty split: no label rows`);
  const unlabelled = [...images].find((f) => !seen.has(f));
  if (unlabelled) throw new DatasetError(path.join(dir, unlabelled), `image has no row in ${labelFile}`);
  return { name: `ferplus/${options.split}`, samples, skipped, loadImage: (s) => readImage(s.source) };
}

/** `fer2013-original-labels.csv`: fer2013_csv_row, ferplus_png (`FER2013Train/fer0000000.png`), class, code 0..6. */
async function readOriginalLabels(file: string): Promise<Map<string, Emotion>> {
  if (!(await isFile(file))) throw new DatasetError(file, 'missing original FER2013 label file (needed for originalLabels)');
  const labels = new Map<string, Emotion>();
  let pngCol = -1;
  let codeCol = -1;
  for await (const line of readLines(file)) {
    if (line.text.trim() === '') continue;
    const fields = parseCsvLine(line.text);
    if (pngCol < 0) {
      pngCol = fields.indexOf('ferplus_png');
      codeCol = fields.indexOf('fer2013_emotion_code');
      if (pngCol < 0 || codeCol < 0) throw new DatasetError(file, 'header must name ferplus_png and fer2013_emotion_code columns');
      continue;
    }
    // An empty code marks an image whose original label could not be recovered unambiguously.
    const raw = (fields[codeCol] ?? '').trim();
    if (raw === '') continue;
    const code = Number(raw);
    const emotion = Number.isInteger(code) ? FER2013_CODES[code] : undefined;
    if (!emotion) throw new DatasetError(`${file} line ${line.number}`, `unknown FER2013 emotion code "${raw}" (expected 0..6)`);
    labels.set(fields[pngCol] ?? '', emotion);
  }
  return labels;
}
