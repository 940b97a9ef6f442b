/**
 * A reader of the recording CSV written from the README's "Recording format" section alone (not the app's
 * parser), so the tests check the documented format rather than the implementation's own view of it.
 */
export interface ExportedCsv {
  /** Line 1. */
  readonly preamble: string;
  /** Line 2, the JSON after "# ". */
  readonly meta: {
    readonly format: string;
    readonly schemaVersion: number;
    readonly id: string;
    readonly labels: readonly string[];
    readonly startedAt: string;
    readonly markers: readonly { readonly t: number; readonly label: string }[];
    readonly baseline: { readonly valence: { readonly mean: number }; readonly arousal: { readonly mean: number } } | null;
  };
  readonly header: readonly string[];
  /** One object per frame row, column name -> cell text. */
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** Splits one CSV line (RFC 4180 quotes; the tests' labels hold no line breaks). */
function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

export function readExportedCsv(text: string): ExportedCsv {
  const lines = text.trimEnd().split('\n');
  const header = splitLine(lines[2]!);
  const rows = lines.slice(3).map((line) => {
    const cells = splitLine(line);
    if (cells.length !== header.length)
      throw new Error(`CSV row "${line.slice(0, 60)}…" has ${cells.length} cells for ${header.length} columns`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
  return { preamble: lines[0]!, meta: JSON.parse(lines[1]!.replace(/^# /, '')) as ExportedCsv['meta'], header, rows };
}
