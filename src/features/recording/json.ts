/**
 * JSON form of a recording: the schema's object as is (README "Recording format"). Serialising goes
 * through the schema so keys always come out in one order, which makes export(import(file)) === file.
 */
import { RecordingFileError, recordingSchema, validateRecording } from './schema.ts';
import type { Recording } from './schema.ts';

export function recordingToJson(r: Recording): string {
  return JSON.stringify(recordingSchema.parse(r)) + '\n';
}

export function jsonToRecording(text: string, file: string): Recording {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RecordingFileError(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return validateRecording(value, file);
}
