/** Reads an exported recording, CSV or JSON, told apart by content rather than by the file's name. */
import { csvToRecording } from './csv.ts';
import { jsonToRecording } from './json.ts';
import { RecordingFileError } from './schema.ts';
import type { Recording } from './schema.ts';

export function parseRecordingFile(text: string, file: string): Recording {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return jsonToRecording(start, file);
  if (start.startsWith('#')) return csvToRecording(start, file);
  throw new RecordingFileError(file, 'not a Circumplex recording (expected the JSON or CSV export of a session)');
}
