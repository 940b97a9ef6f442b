/**
 * The fake camera for "Calibrate to me": one CK+ person (S130) showing, in turn, a neutral face and the apex of
 * their happy, surprise, sad and anger sequences, each held as a still for SEGMENT_FRAMES frames (about 10 s at the
 * fake camera's 30 fps; longer when the machine is slow, since the camera then falls behind), looping. Each frame
 * carries a code (e2e/frame-code.ts) of its segment and its position in it, so the test presses "Ready" when the
 * camera is early in the segment showing the expression asked for. Derived with ffmpeg from ../shared into the
 * git-ignored .cache/e2e by e2e/global-setup.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { CKPLUS_SEQUENCES, REPO_ROOT } from './fixtures.ts';
import { stampFilter, STAMP } from './frame-code.ts';

export const SEGMENT_FRAMES = 300;
/** code = segment * SEGMENT_CODES + floor(frame in segment / POSITION_STEP) */
const POSITION_STEP = 4;
const SEGMENT_CODES = 128;

/** The segments in clip order: the expression shown and the CK+ frame showing it. */
export const CALIBRATION_SEGMENTS = [
  { emotion: 'neutral', frame: 'S130/013/S130_013_00000001.png' },
  { emotion: 'happy', frame: 'S130/013/S130_013_00000015.png' },
  { emotion: 'surprise', frame: 'S130/001/S130_001_00000018.png' },
  { emotion: 'sad', frame: 'S130/009/S130_009_00000019.png' },
  { emotion: 'anger', frame: 'S130/007/S130_007_00000020.png' },
] as const;

function codeExpression(): string {
  return `floor(n/${SEGMENT_FRAMES})*${SEGMENT_CODES}+floor(mod(n,${SEGMENT_FRAMES})/${POSITION_STEP})`;
}

/** The segment and the frame within it that a read code stands for (frame rounded down to POSITION_STEP). */
export function decodeCalibrationCode(code: number): { segment: number; frame: number } {
  return { segment: Math.floor(code / SEGMENT_CODES), frame: (code % SEGMENT_CODES) * POSITION_STEP };
}

function filter(): string {
  const inputs = CALIBRATION_SEGMENTS.map((_, i) => `[${i}:v]scale=${STAMP.width}:${STAMP.height},setsar=1,format=yuvj420p[v${i}]`);
  const concat = `${CALIBRATION_SEGMENTS.map((_, i) => `[v${i}]`).join('')}concat=n=${CALIBRATION_SEGMENTS.length}:v=1:a=0[c]`;
  return [...inputs, concat, `[c]${stampFilter(STAMP, codeExpression())}[out]`].join(';');
}

export const CALIBRATION_VIDEO = path.join(
  REPO_ROOT,
  '.cache/e2e',
  `calibration-s130-${createHash('sha256').update(filter()).digest('hex').slice(0, 10)}.mjpeg`,
);

/** Writes the clip once per path. */
export function writeCalibrationClip(out = CALIBRATION_VIDEO): void {
  if (existsSync(out)) return;
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp.mjpeg`;
  const seconds = SEGMENT_FRAMES / 30;
  const inputs = CALIBRATION_SEGMENTS.flatMap((s) => [
    '-loop',
    '1',
    '-framerate',
    '30',
    '-t',
    String(seconds),
    '-i',
    path.join(CKPLUS_SEQUENCES, s.frame),
  ]);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    filter(),
    '-map',
    '[out]',
    '-c:v',
    'mjpeg',
    '-q:v',
    '4',
    '-pix_fmt',
    'yuvj420p',
    '-f',
    'mjpeg',
    tmp,
  ]);
  renameSync(tmp, out);
}
