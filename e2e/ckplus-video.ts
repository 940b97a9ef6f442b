/**
 * Ground truth of the fake-camera video (../shared/media/ckplus40-10fps-labels.csv) and the alignment of the
 * app's per-frame records with it.
 *
 * Alignment. Chromium's file-backed fake camera delivers the clip's frames one per tick (30 fps here,
 * whatever the clip's 10 fps), from frame 0 when the stream starts, looping; when it falls behind it does not
 * catch up, so under load the frame index drifts behind the stream time. Each record carries the frame's
 * stream time (requestVideoFrameCallback's mediaTime) and the analysed face box; alignRecords re-anchors the
 * time -> frame mapping at every change of subject, where the box jumps, and interpolates between anchors
 * (see there). The test reports the anchors found and how far the camera had drifted at each, so a bad
 * alignment is visible.
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
}

export function readLabels(file: string): VideoFrameLabel[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}" (has ${header.join(', ')})`);
    return i;
  };
  const [iFrame, iSeq, iEmotion, iProgress, iPeak] = ['video_frame', 'sequence', 'emotion', 'progress_0to1', 'is_peak'].map(col) as [number, number, number, number, number];
  return lines.slice(1).map((line) => {
    const c = line.split(',').map((v) => v.trim());
    return { index: Number(c[iFrame]), sequence: c[iSeq]!, emotion: c[iEmotion]!, progress: Number(c[iProgress]), isPeak: c[iPeak] === '1' };
  });
}

export interface AlignedRecord {
  readonly mediaTime: number | undefined;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | undefined;
}

export interface Alignment {
  /** Video frame of each record (undefined before the first anchor or without a stream time). */
  readonly indices: (number | undefined)[];
  /** Subject changes recognised (box jumps matched to a subject boundary). */
  readonly anchors: number;
  /** Box jumps not near any subject boundary (ignored). */
  readonly rejected: number;
  /** Mean |predicted - matched boundary| at the anchors, in frames: how far the camera drifted from the stream time between two anchors (before interpolation corrects it). */
  readonly meanAnchorError: number;
}

function centre(b: NonNullable<AlignedRecord['box']>): [number, number] {
  return [b.x + b.width / 2, b.y + b.height / 2];
}

/**
 * Piecewise-linear stream time -> video frame mapping, anchored at every change of subject: the face box
 * jumps there (different people sit differently). Pass 1 walks the records in order, predicts each jump's
 * frame from the last anchor and the rate measured between the last two, and matches it to the nearest
 * subject boundary of the labels (jumps more than 20 frames from any are ignored). Pass 2 interpolates every
 * record's frame between the anchors before and after it, which absorbs the fake camera's drift (under load
 * it delivers fewer than 30 frames a second while the stream time keeps the wall clock).
 */
export function alignRecords(records: readonly AlignedRecord[], labels: readonly VideoFrameLabel[], nominalRate: number): Alignment {
  const length = labels.length;
  const subjectOf = (l: VideoFrameLabel): string => l.sequence.split('_')[0]!;
  const boundaries = labels.filter((l, i) => i === 0 || subjectOf(l) !== subjectOf(labels[i - 1]!)).map((l) => l.index);
  const cyclic = (d: number): number => ((((d + length / 2) % length) + length) % length) - length / 2;
  // The stream starts at frame 0 of the clip. Indices here are unwrapped (they keep growing over loops).
  const anchors: { time: number; index: number }[] = [{ time: 0, index: 0 }];
  let rate = nominalRate;
  let rejected = 0;
  let errorSum = 0;
  records.forEach((r, i) => {
    const prev = records[i - 1];
    if (!prev?.box || !r.box || prev.mediaTime === undefined || r.mediaTime === undefined) return;
    const [ax, ay] = centre(prev.box);
    const [bx, by] = centre(r.box);
    if (Math.hypot(ax - bx, ay - by) <= 0.12 * prev.box.width) return;
    const last = anchors.at(-1)!;
    const predicted = last.index + (r.mediaTime - last.time) * rate;
    const nearest = boundaries.reduce((best, b) => (Math.abs(cyclic(b - predicted)) < Math.abs(cyclic(best - predicted)) ? b : best));
    const error = Math.abs(cyclic(nearest - predicted));
    if (error > 20) {
      rejected++;
      return;
    }
    const index = predicted + cyclic(nearest - predicted);
    if (anchors.length > 1 && r.mediaTime - last.time > 1) rate = (index - last.index) / (r.mediaTime - last.time);
    anchors.push({ time: r.mediaTime, index });
    errorSum += error;
  });
  let k = 0;
  const indices = records.map((r) => {
    if (r.mediaTime === undefined) return undefined;
    while (k + 1 < anchors.length && anchors[k + 1]!.time <= r.mediaTime) k++;
    const a = anchors[k]!;
    const b = anchors[k + 1];
    const slope = b ? (b.index - a.index) / (b.time - a.time) : rate;
    const index = Math.round(a.index + (r.mediaTime - a.time) * slope);
    return ((index % length) + length) % length;
  });
  const found = anchors.length - 1;
  return { indices, anchors: found, rejected, meanAnchorError: found > 0 ? errorSum / found : Infinity };
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
    '-v', 'error', '-y', '-framerate', '10', '-i', source, '-frames:v', String(frames), '-vf', 'scale=640:480', '-c:v', 'libvpx',
    '-g', '10', '-qmin', '0', '-qmax', '4', '-b:v', '40M', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p', `${out}.tmp.webm`,
  ]);
  renameSync(`${out}.tmp.webm`, out);
}

/**
 * Below this many processed frames a second the live records are too sparse for alignRecords: the fake camera
 * drifts by several clip frames between anchors and records land on the wrong clip frames (measured on a
 * starved 2-core machine: 4.6 frames/s, anchors off by 10 frames, valence signs at chance). Comparisons with the
 * clip's labels are skipped, saying so, below it.
 */
export const MIN_ALIGNABLE_FPS = 10;

/** Frames the live path processed per second of stream time. */
export function processedFps(records: readonly AlignedRecord[]): number {
  const times = records.map((r) => r.mediaTime).filter((t): t is number => t !== undefined);
  if (times.length < 2) return 0;
  const span = times.at(-1)! - times[0]!;
  return span > 0 ? (times.length - 1) / span : 0;
}
