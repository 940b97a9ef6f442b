import { open } from 'node:fs/promises';
import { FER2013_CODES } from '../../src/core/emotions.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { parseCsvLine, readLines } from './csv.ts';
import { DatasetError } from './errors.ts';
import { oneHot, classVa } from './targets.ts';
import type { FerPlusSplit } from './ferplus.ts';
import type { Dataset, Sample } from './types.ts';

/** fer2013.csv `Usage` value of each split (FER+ uses the same three). */
export const FER2013_USAGE: Readonly<Record<FerPlusSplit, string>> = {
  train: 'Training',
  valid: 'PublicTest',
  test: 'PrivateTest',
};

export interface Fer2013CsvOptions {
  /** One split by its Usage column; all rows when omitted. */
  split?: FerPlusSplit;
}

interface RowPlace {
  offset: number;
  length: number;
  line: number;
}

/**
 * The public Kaggle `fer2013.csv`: header `emotion,pixels,Usage`, one row per image, pixels as 48*48
 * space-separated gray values. Only each row's byte position is kept; `loadImage` re-reads that row, so the
 * ~290 MB file is never held in memory. Sample ids are `fer2013.csv#<row>`, row counted from 0 after the header
 * (the FER+ `ferNNNNNNN.png` numbering).
 */
export async function loadFer2013Csv(file: string, options: Fer2013CsvOptions = {}): Promise<Dataset> {
  const places = new Map<string, RowPlace>();
  const samples: Sample[] = [];
  let columns: { emotion: number; pixels: number; usage: number } | undefined;
  let row = 0;
  try {
    for await (const line of readLines(file)) {
      if (line.text.trim() === '') continue;
      const where = `${file} line ${line.number}`;
      const fields = parseCsvLine(line.text);
      if (!columns) {
        const names = fields.map((f) => f.trim());
        columns = { emotion: names.indexOf('emotion'), pixels: names.indexOf('pixels'), usage: names.indexOf('Usage') };
        if (columns.emotion < 0 || columns.pixels < 0 || columns.usage < 0) {
          throw new DatasetError(where, `header must have emotion, pixels and Usage columns, got "${line.text}"`);
        }
        continue;
      }
      const code = Number(fields[columns.emotion]);
      const label = Number.isInteger(code) ? FER2013_CODES[code] : undefined;
      if (!label) throw new DatasetError(where, `unknown class: emotion code "${fields[columns.emotion] ?? ''}" (expected 0..6)`);
      const usage = (fields[columns.usage] ?? '').trim();
      if (!Object.values(FER2013_USAGE).includes(usage)) {
        throw new DatasetError(where, `unknown Usage "${usage}" (expected ${Object.values(FER2013_USAGE).join(', ')})`);
      }
      const count = (fields[columns.pixels] ?? '').trim().split(/\s+/).length;
      if (!Number.isInteger(Math.sqrt(count))) throw new DatasetError(where, `${count} pixel values do not form a square image`);
      const index = row++;
      if (options.split && usage !== FER2013_USAGE[options.split]) continue;
      const id = `fer2013.csv#${index}`;
      places.set(id, { offset: line.offset, length: line.length, line: line.number });
      samples.push({ id, source: file, label, probs: oneHot(label), va: classVa(label) });
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(file, `cannot read fer2013 csv (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!columns) throw new DatasetError(file, 'empty file: no header');
  if (samples.length === 0)
    throw new DatasetError(file, `empty split: no rows${options.split ? ` with Usage ${FER2013_USAGE[options.split]}` : ''}`);
  const pixelColumn = columns.pixels;

  async function loadImage(sample: Sample): Promise<RawImage> {
    const place = places.get(sample.id);
    if (!place) throw new DatasetError(file, `no row for sample ${sample.id}`);
    const handle = await open(file, 'r');
    const bytes = Buffer.alloc(place.length);
    try {
      await handle.read(bytes, 0, place.length, place.offset);
    } finally {
      await handle.close();
    }
    const where = `${file} line ${place.line}`;
    const values = (parseCsvLine(bytes.toString('utf8'))[pixelColumn] ?? '').trim().split(/\s+/);
    const side = Math.sqrt(values.length);
    const data = new Uint8Array(values.length);
    values.forEach((v, i) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 255)
        throw new DatasetError(where, `unreadable image: pixel ${i} is "${v}" (expected 0..255)`);
      data[i] = n;
    });
    return { data, width: side, height: side, channels: 1 };
  }

  return { name: `fer2013-csv${options.split ? `/${options.split}` : ''}`, samples, loadImage };
}
