/**
 * CSV form of a recording (README "Recording format"): two preamble lines, then a header and one row per
 * processed frame. Line 1 names the format and version; line 2 is the session's metadata as JSON (source,
 * wall-clock start, class labels, baseline, markers with their exact times), so a CSV alone re-imports
 * losslessly. Numbers are written with JavaScript's shortest round-trip form, so parse(serialise(r)) is r.
 * Derived columns (frame, *_rel, segment) are recomputed on export and ignored on import.
 */
import { relativeToBaseline } from './baseline.ts';
import { RECORDING_FORMAT, RECORDING_SCHEMA_VERSION, RecordingFileError, recordingMetaSchema, validateRecording } from './schema.ts';
import type { FrameRow, Recording, RecordingMeta } from './schema.ts';
import { segmentLabelAt } from './segments.ts';

export const CSV_PREAMBLE = `# ${RECORDING_FORMAT} schemaVersion=${RECORDING_SCHEMA_VERSION}`;

const FIXED_COLUMNS = [
  'frame',
  't_ms',
  'valence',
  'arousal',
  'valence_rel',
  'arousal_rel',
  'cnn_valence',
  'cnn_arousal',
  'face_x',
  'face_y',
  'face_w',
  'face_h',
  'faces',
  'reliable',
  'quality',
  'backend',
  'segment',
  'profile',
] as const;

/** The columns of files written before personal calibration (no 'profile'): still read. */
const LEGACY_FIXED_COLUMNS = FIXED_COLUMNS.slice(0, -1);

export function csvColumns(labels: readonly string[], fixed: readonly string[] = FIXED_COLUMNS): string[] {
  return [...fixed, ...labels.map((l) => `p_${l}`)];
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const num = (v: number | null): string => (v === null ? '' : String(v));

function metaOf(r: Recording): RecordingMeta {
  const { frames: _frames, ...meta } = r;
  return meta;
}

export function recordingToCsv(r: Recording): string {
  const lines = [CSV_PREAMBLE, `# ${JSON.stringify(metaOf(r))}`, csvColumns(r.labels).join(',')];
  r.frames.forEach((f, i) => {
    const cells = [
      String(i),
      num(f.t),
      num(f.valence),
      num(f.arousal),
      num(relativeToBaseline(f.valence, 'valence', r.baseline)),
      num(relativeToBaseline(f.arousal, 'arousal', r.baseline)),
      num(f.cnnValence),
      num(f.cnnArousal),
      num(f.box?.x ?? null),
      num(f.box?.y ?? null),
      num(f.box?.width ?? null),
      num(f.box?.height ?? null),
      String(f.faces),
      f.reliable ? '1' : '0',
      f.quality.join('|'),
      field(f.backend ?? ''),
      field(segmentLabelAt(r.markers, f.t)),
      field(f.profile ?? ''),
      ...(f.probs ? f.probs.map(String) : r.labels.map(() => '')),
    ];
    lines.push(cells.join(','));
  });
  return lines.join('\n') + '\n';
}

/** Splits CSV text into records of fields (RFC 4180 quoting; \n or \r\n line ends). */
export function parseCsvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export function csvToRecording(text: string, file: string): Recording {
  const eol = text.indexOf('\n');
  const first = (eol < 0 ? text : text.slice(0, eol)).replace(/\r$/, '');
  const version = /^# circumplex-recording schemaVersion=(\d+)$/.exec(first);
  if (!version) throw new RecordingFileError(file, `not a Circumplex recording CSV (the first line should be "${CSV_PREAMBLE}")`);
  if (Number(version[1]) !== RECORDING_SCHEMA_VERSION) {
    throw new RecordingFileError(file, `schemaVersion ${version[1]} is not supported (this app reads version ${RECORDING_SCHEMA_VERSION})`);
  }
  const rest = text.slice(eol + 1);
  const eol2 = rest.indexOf('\n');
  const metaLine = (eol2 < 0 ? rest : rest.slice(0, eol2)).replace(/\r$/, '');
  if (!metaLine.startsWith('# ')) throw new RecordingFileError(file, 'line 2: the session metadata line ("# {...}") is missing');
  let metaValue: unknown;
  try {
    metaValue = JSON.parse(metaLine.slice(2));
  } catch (e) {
    throw new RecordingFileError(file, `line 2: the session metadata is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const meta = recordingMetaSchema.safeParse(metaValue);
  if (!meta.success)
    throw new RecordingFileError(
      file,
      `line 2: invalid session metadata: ${meta.error.issues[0]?.path.join('.')}: ${meta.error.issues[0]?.message}`,
    );
  let records: string[][];
  try {
    records = parseCsvRecords(rest.slice(eol2 + 1));
  } catch (e) {
    throw new RecordingFileError(file, `malformed CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = records[0];
  const expected = csvColumns(meta.data.labels);
  const legacy = header?.join(',') === csvColumns(meta.data.labels, LEGACY_FIXED_COLUMNS).join(',');
  if (!header || (!legacy && header.join(',') !== expected.join(',')))
    throw new RecordingFileError(file, `line 3: the header should be "${expected.join(',')}"`);
  const fixed = legacy ? LEGACY_FIXED_COLUMNS.length : FIXED_COLUMNS.length;
  const frames = records.slice(1).map((cells, i) => parseRow(cells, i, fixed, meta.data.labels.length, file));
  return validateRecording({ ...meta.data, frames }, file);
}

function parseRow(cells: readonly string[], i: number, fixed: number, labels: number, file: string): FrameRow {
  const line = i + 4;
  const columns = fixed + labels;
  if (cells.length !== columns) throw new RecordingFileError(file, `line ${line}: ${cells.length} fields, expected ${columns}`);
  const number = (k: number, nullable: boolean): number | null => {
    const s = cells[k]!;
    if (s === '' && nullable) return null;
    const v = Number(s);
    if (s === '' || !Number.isFinite(v))
      throw new RecordingFileError(file, `line ${line}, column ${FIXED_COLUMNS[k] ?? k + 1}: "${s}" is not a number`);
    return v;
  };
  if (number(0, false) !== i) throw new RecordingFileError(file, `line ${line}: frame should be ${i}`);
  const box = [8, 9, 10, 11].map((k) => number(k, true));
  const probs = cells.slice(fixed).map((_, k) => number(fixed + k, true));
  const profile = fixed > 17 ? cells[17] : undefined;
  const reliable = cells[13];
  if (reliable !== '0' && reliable !== '1')
    throw new RecordingFileError(file, `line ${line}, column reliable: "${reliable}" is not 0 or 1`);
  return {
    t: number(1, false)!,
    valence: number(2, true),
    arousal: number(3, true),
    cnnValence: number(6, true),
    cnnArousal: number(7, true),
    probs: probs.every((p) => p === null) && labels > 0 ? null : (probs as number[]),
    box: box.every((b) => b === null) ? null : { x: box[0]!, y: box[1]!, width: box[2]!, height: box[3]! },
    faces: number(12, false)!,
    quality: cells[14] === '' ? [] : (cells[14]!.split('|') as FrameRow['quality']),
    reliable: reliable === '1',
    backend: cells[15] === '' ? null : cells[15]!,
    ...(profile ? { profile } : {}),
  };
}
