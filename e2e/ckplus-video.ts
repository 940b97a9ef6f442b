/**
 * Ground truth of the fake-camera video (../shared/media/ckplus40-10fps-labels.csv), and which clip frame each
 * of the app's per-frame records showed: read from the frame code stamped into the camera's clip
 * (e2e/frame-code.ts), so the answer is exact at any processing rate.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

export interface VideoFrameLabel {
  readonly index: number;
  readonly sequence: string;
  readonly emotion: string;
  readonly progress: number;
  readonly isPeak: boolean;
  /** 1-based frame number within its sequence, and the sequence's length. */
  readonly frameInSequence: number;
  readonly sequenceLength: number;
}

/** The frame's name in CK+48 (`S052_004_00000031`); CK+48 holds the last three frames of every sequence. */
export function ckplus48Name(label: VideoFrameLabel): string {
  return `${label.sequence}_${String(label.frameInSequence).padStart(8, '0')}`;
}

/** One of the last three frames of its sequence: the frames CK+48 holds. */
export function isCkplus48Frame(label: VideoFrameLabel): boolean {
  return label.frameInSequence > label.sequenceLength - 3;
}

export function readLabels(file: string): VideoFrameLabel[] {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}" (has ${header.join(', ')})`);
    return i;
  };
  const [iFrame, iSeq, iEmotion, iProgress, iPeak, iSeqFrame, iSeqLen] = [
    'video_frame',
    'sequence',
    'emotion',
    'progress_0to1',
    'is_peak',
    'seq_frame',
    'seq_len',
  ].map(col) as [number, number, number, number, number, number, number];
  return lines.slice(1).map((line) => {
    const c = line.split(',').map((v) => v.trim());
    return {
      index: Number(c[iFrame]),
      sequence: c[iSeq]!,
      emotion: c[iEmotion]!,
      progress: Number(c[iProgress]),
      isPeak: c[iPeak] === '1',
      frameInSequence: Number(c[iSeqFrame]),
      sequenceLength: Number(c[iSeqLen]),
    };
  });
}

export interface TimedRecord {
  /** The frame's stream time (a VideoFrame's timestamp, or requestVideoFrameCallback's mediaTime), seconds. */
  readonly mediaTime: number | undefined;
}

export interface ClipFrames {
  /** The clip frame each record showed (undefined: no stream time, or no code read for it). */
  readonly indices: (number | undefined)[];
  /** Records whose frame code was read but did not decode (should be none). */
  readonly unreadable: number;
  /** Records with no code at all (grabbed before the reader saw them; should be none). */
  readonly missing: number;
}

/** Each record's clip frame, from the frame codes the harness read (e2e/frame-code.ts), keyed by stream time. */
export function clipFrames(records: readonly TimedRecord[], codes: ReadonlyMap<number, number>, clipLength: number): ClipFrames {
  let unreadable = 0;
  let missing = 0;
  const indices = records.map((r) => {
    const code = r.mediaTime === undefined ? undefined : codes.get(r.mediaTime);
    if (code === undefined) missing++;
    else if (code < 0 || code >= clipLength) unreadable++;
    else return code;
    return undefined;
  });
  return { indices, unreadable, missing };
}

/**
 * The first `frames` frames of the CK+ clip as a WebM file for the video-file analysis (VP8 at near-lossless
 * quality, which this Chromium decodes; a keyframe every 10 frames keeps frame-by-frame seeking cheap), at
 * 640x480 as the fake camera delivers them, 10 fps as in the clip. Built with ffmpeg once per path.
 */
export function writeCkplusWebm(source: string, out: string, frames: number): void {
  if (existsSync(out)) return;
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-framerate',
    '10',
    '-i',
    source,
    '-frames:v',
    String(frames),
    '-vf',
    'scale=640:480',
    '-c:v',
    'libvpx',
    '-g',
    '10',
    '-qmin',
    '0',
    '-qmax',
    '4',
    '-b:v',
    '40M',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-pix_fmt',
    'yuv420p',
    `${out}.tmp.webm`,
  ]);
  renameSync(`${out}.tmp.webm`, out);
}

/** Frames the live path processed per second of stream time. */
export function processedFps(records: readonly TimedRecord[]): number {
  const times = records.map((r) => r.mediaTime).filter((t): t is number => t !== undefined);
  if (times.length < 2) return 0;
  const span = times.at(-1)! - times[0]!;
  return span > 0 ? (times.length - 1) / span : 0;
}
