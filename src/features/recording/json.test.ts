import { describe, expect, it } from 'vitest';
import { parseRecordingFile } from './import-file.ts';
import { jsonToRecording, recordingToJson } from './json.ts';
import { recordingToCsv } from './csv.ts';
import { RecordingFileError } from './schema.ts';
import { sampleRecording } from './test-recording.ts';

describe('recording JSON', () => {
  it('round-trips exactly, and export(import(json)) is the same text', () => {
    const r = sampleRecording();
    const json = recordingToJson(r);
    const back = jsonToRecording(json, 'a.json');
    expect(back).toEqual(r);
    expect(recordingToJson(back)).toBe(json);
  });

  it('writes keys in the schema order whatever order the object was built in', () => {
    const r = sampleRecording();
    const { frames, ...meta } = r;
    const shuffled = { frames, ...Object.fromEntries(Object.entries(meta).reverse()) } as typeof r;
    expect(recordingToJson(shuffled)).toBe(recordingToJson(r));
  });

  it('refuses foreign, newer, truncated and inconsistent files, naming the file and the problem', () => {
    const r = sampleRecording();
    const json = recordingToJson(r);
    const cases: [string, RegExp][] = [
      ['{"name":"something else"}', /b.json: not a Circumplex recording/],
      [json.replace('"schemaVersion":1', '"schemaVersion":2'), /b.json: schemaVersion 2 is not supported/],
      [json.slice(0, json.length / 2), /b.json: not valid JSON/],
      [JSON.stringify({ ...r, frames: [{ ...r.frames[0]!, probs: [0.5, 0.5] }] }), /b.json: frames\.0\.probs: 2 values for 8 labels/],
      [JSON.stringify({ ...r, frames: [{ ...r.frames[0]!, valence: 'high' }] }), /b.json: invalid recording: frames\.0\.valence/],
      [JSON.stringify({ ...r, startedAt: 'yesterday' }), /b.json: invalid recording: startedAt/],
    ];
    for (const [text, message] of cases) {
      expect(() => jsonToRecording(text, 'b.json')).toThrow(RecordingFileError);
      expect(() => jsonToRecording(text, 'b.json')).toThrow(message);
    }
  });
});

describe('parseRecordingFile', () => {
  it('tells CSV from JSON by content', () => {
    const r = sampleRecording();
    expect(parseRecordingFile(recordingToJson(r), 'x.txt')).toEqual(r);
    expect(parseRecordingFile('\uFEFF' + recordingToCsv(r), 'x.txt')).toEqual(r);
    expect(() => parseRecordingFile('\x89PNG\r\n', 'photo.png')).toThrow(/photo.png: not a Circumplex recording/);
  });
});
