import path from 'node:path';
import { FOLDER_NAMES } from '../../src/core/emotions.ts';
import { loadAfewVa } from './afew-va.ts';
import { AFFWILD2_SPLIT_FOLDERS, loadAffWild2 } from './affwild2.ts';
import type { AffWild2Split } from './affwild2.ts';
import { loadCkPlus } from './ckplus.ts';
import { DatasetError } from './errors.ts';
import { loadFer2013Csv } from './fer2013-csv.ts';
import { FERPLUS_FOLDERS, loadFerPlus } from './ferplus.ts';
import type { FerPlusSplit } from './ferplus.ts';
import { isFile, isFolder, listFolder } from './files.ts';
import { loadImageFolder } from './image-folder.ts';
import { loadJaffe } from './jaffe.ts';
import type { Dataset } from './types.ts';

export const LAYOUTS = ['ferplus', 'fer2013-csv', 'image-folder', 'ckplus', 'jaffe', 'afew-va', 'affwild2'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface OpenOptions {
  /** FER+: label with the original FER2013 classes. */
  originalLabels?: boolean;
  /** FER+: keep images without a label. */
  keepUnlabelled?: boolean;
}

const isClassFolder = (name: string): boolean => FOLDER_NAMES[name.toLowerCase()] !== undefined;

/** Which loader a path needs, from its files and folders alone. */
export async function detectLayout(root: string): Promise<Layout> {
  if (await isFile(root)) {
    if (root.toLowerCase().endsWith('.csv')) return 'fer2013-csv';
    throw new DatasetError(root, 'not a dataset: a file that is not a fer2013 csv');
  }
  if ((await isFolder(path.join(root, 'data', FERPLUS_FOLDERS.train))) || (await isFolder(path.join(root, FERPLUS_FOLDERS.train))))
    return 'ferplus';
  if (await isFolder(path.join(root, 'cohn-kanade-images'))) return 'ckplus';
  if (await isFolder(path.join(root, 'cropped_aligned'))) return 'affwild2';
  const { files, folders } = await listFolder(root, 'dataset');
  if (files.some((f) => /\.tiff?$/i.test(f))) return 'jaffe';
  if (folders.length > 0 && folders.every(isClassFolder)) return 'image-folder';
  for (const folder of folders) {
    const inner = await listFolder(path.join(root, folder), 'dataset');
    if (inner.files.includes(`${folder}.json`)) return 'afew-va';
    if (inner.folders.length > 0 && inner.folders.every(isClassFolder)) return 'image-folder';
  }
  throw new DatasetError(root, `unknown dataset layout (expected one of ${LAYOUTS.join(', ')})`);
}

/** Every split a path holds, loaded with the matching loader (layout detected when not given). */
/**
 * Like Promise.all (the loads run side by side), but a failure is reported for the first failing load in list
 * order, not for whichever failed first: two broken folders always give the same message.
 */
async function allInOrder<T>(loads: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(loads);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

export async function openDatasets(root: string, layout?: Layout, options: OpenOptions = {}): Promise<Dataset[]> {
  const kind = layout ?? (await detectLayout(root));
  switch (kind) {
    case 'ferplus': {
      const splits = Object.keys(FERPLUS_FOLDERS) as FerPlusSplit[];
      return allInOrder(splits.map((split) => loadFerPlus(root, { split, ...options })));
    }
    case 'fer2013-csv': {
      // A csv may hold only some Usage values (e.g. a train-only export): keep the splits that exist.
      const out: Dataset[] = [];
      for (const split of ['train', 'valid', 'test'] as const) {
        try {
          out.push(await loadFer2013Csv(root, { split }));
        } catch (e) {
          if (!(e instanceof DatasetError && e.problem.startsWith('empty split'))) throw e;
        }
      }
      if (out.length === 0) throw new DatasetError(root, 'empty split: no rows');
      return out;
    }
    case 'ckplus':
      return [await loadCkPlus(root)];
    case 'jaffe':
      return [await loadJaffe(root)];
    case 'afew-va':
      return [await loadAfewVa(root)];
    case 'affwild2': {
      const out: Dataset[] = [];
      for (const split of Object.keys(AFFWILD2_SPLIT_FOLDERS) as AffWild2Split[]) {
        if (await isFolder(path.join(root, 'VA_Set', AFFWILD2_SPLIT_FOLDERS[split]))) out.push(await loadAffWild2(root, { split }));
      }
      if (out.length === 0) throw new DatasetError(path.join(root, 'VA_Set'), 'no Train_Set or Validation_Set annotation folder');
      return out;
    }
    case 'image-folder': {
      const { folders } = await listFolder(root, 'dataset');
      if (folders.every(isClassFolder)) return [await loadImageFolder(root)];
      // One level up from the class folders: a folder per split (Kaggle train/test) or a single wrapper (CK+48).
      return allInOrder(folders.map((f) => loadImageFolder(path.join(root, f), `image-folder/${f}`)));
    }
  }
}
