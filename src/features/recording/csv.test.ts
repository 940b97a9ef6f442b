import { describe, expect, it } from 'vitest';
import { csvColumns, csvToRecording, parseCsvRecords, recordingToCsv } from './csv.ts';
import { RecordingFileError } from './schema.ts';
import { sampleRecording } from './test-recording.ts';

describe('recording CSV', () => {
  it('has two preamble lines, a header and one row per frame with the derived columns', () => {
    const r = sampleRecording();
    const lines = recordingToCsv(r).trimEnd().split('\n');
    expect(lines[0]).toBe('# circumplex-recording schemaVersion=1');
    expect(lines[1]!.startsWith('# {"format":"circumplex-recording","schemaVersion":1,')).toBe(true);
    expect(lines[2]).toBe(csvColumns(r.labels).join(','));
    const rows = parseCsvRecords(lines.slice(2).join('\n'));
    expect(rows).toHaveLength(1 + r.frames.length);
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows.slice(1).map((c) => c[col('segment')])).toEqual(['', '', 'stimulus, "A"', 'stimulus, "A"', 'line\nbreak', 'line\nbreak']);
    // Relative columns: reading minus the baseline mean.
    expect(Number(rows[1]![col('valence_rel')])).toBeCloseTo(0.2 - 0.1, 12);
    expect(rows[3]![col('valence')]).toBe('');
    expect(rows[6]![col('quality')]).toBe('dark|small');
  });

  it('round-trips exactly, and export(import(csv)) is the same text', () => {
    const r = sampleRecording();
    const csv = recordingToCsv(r);
    const back = csvToRecording(csv, 'a.csv');
    expect(back).toEqual(r);
    expect(recordingToCsv(back)).toBe(csv);
  });

  it('keeps which personal calibration shaped each frame, and reads files written before that column existed', () => {
    const r = sampleRecording();
    const csv = recordingToCsv(r);
    const rows = parseCsvRecords(csv.split('\n').slice(2).join('\n'));
    const col = rows[0]!.indexOf('profile');
    expect(rows.slice(1).map((c) => c[col])).toEqual(['', '', '', '', 'p-1:0123456789abcdef', 'p-1:0123456789abcdef']);
    // The same file without the profile column and without profiles: as an older version wrote it.
    const current = recordingToCsv({ ...r, profiles: undefined, frames: r.frames.map(({ profile: _p, ...f }) => f) }).split('\n');
    const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    const body = parseCsvRecords(current.slice(2).join('\n')).map((cells) =>
      cells
        .filter((_, k) => k !== col)
        .map(quote)
        .join(','),
    );
    const legacy = csvToRecording([...current.slice(0, 2), ...body].join('\n') + '\n', 'old.csv');
    expect(legacy.frames.map((f) => f.valence)).toEqual(r.frames.map((f) => f.valence));
    expect(legacy.frames.some((f) => f.profile !== undefined)).toBe(false);
  });

  it('reads CRLF line ends', () => {
    const r = sampleRecording();
    expect(csvToRecording(recordingToCsv(r).replaceAll('\n', '\r\n').replace('line\r\nbreak', 'line\nbreak'), 'a.csv').frames).toEqual(
      r.frames,
    );
  });

  it('refuses other files and damaged ones with the file name and the problem', () => {
    const csv = recordingToCsv(sampleRecording());
    const lines = csv.split('\n');
    const cases: [string, RegExp][] = [
      ['time,valence\n0,1\n', /a.csv: not a Circumplex recording CSV/],
      [csv.replace('schemaVersion=1', 'schemaVersion=2'), /a.csv: schemaVersion 2 is not supported/],
      [[lines[0], '# {"format":', ...lines.slice(2)].join('\n'), /a.csv: line 2: the session metadata is not valid JSON/],
      [csv.replace(',p_contempt', ',p_other'), /a.csv: line 3: the header should be/],
      [lines.slice(0, 5).join('\n') + '\n' + lines[5]!.split(',').slice(0, 10).join(',') + '\n', /a.csv: line 6: 10 fields, expected 26/],
      [csv.replace(/\n0,0,0\.2,/, '\n0,0,abc,'), /a.csv: line 4, column valence: "abc" is not a number/],
      [csv.replace(/\n1,33\.333333333333336,/, '\n1,-5,'), /a.csv: .*frames\.1\.t/],
    ];
    for (const [text, message] of cases) {
      expect(() => csvToRecording(text, 'a.csv')).toThrow(RecordingFileError);
      expect(() => csvToRecording(text, 'a.csv')).toThrow(message);
    }
  });
});
