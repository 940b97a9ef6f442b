/**
 * Frame codes: which clip frame did the app analyse? The fake camera plays a copy of the CK+ clip with each
 * frame's index stamped into a black strip along its bottom edge (below every face: the crop never reaches it),
 * as BITS white/black blocks followed by their complements. The test harness, not the app, reads the code back
 * from the very frame the app grabs from the camera and hands to its worker (an init script wraps
 * requestVideoFrameCallback, VideoFrame and createImageBitmap in the page), keyed by the frame's stream time, which every
 * per-frame record carries. So a record's clip frame is known exactly, whatever rate the machine processes
 * frames at and however far Chromium's fake camera falls behind its 30 fps.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** Where the code sits, in the coded clip's pixels (640x480, as the camera delivers it); read back in relative coordinates. */
export interface StampLayout {
  readonly width: number;
  readonly height: number;
  /** Bits of the frame index (the clip has 684 frames). */
  readonly bits: number;
  readonly stripHeight: number;
  readonly blockWidth: number;
  readonly blockHeight: number;
  /** Left edge of block i is `left + i * pitch`; blocks BITS..2*BITS-1 hold the complements. */
  readonly left: number;
  readonly pitch: number;
}

export const STAMP: StampLayout = {
  width: 640,
  height: 480,
  bits: 10,
  stripHeight: 18,
  blockWidth: 18,
  blockHeight: 12,
  left: 16,
  pitch: 30,
};

/**
 * The ffmpeg filter that scales the clip to the camera's 640x480 (so the camera and a file made from the coded clip
 * start from the same pixels) and stamps `code` (an ffmpeg expression; default each frame's index `n`, from 0) into it.
 */
export function stampFilter(s: StampLayout = STAMP, code = 'n'): string {
  const top = s.height - s.stripHeight;
  const blockTop = top + (s.stripHeight - s.blockHeight) / 2;
  const box = (i: number, enable: string): string =>
    `drawbox=x=${s.left + i * s.pitch}:y=${blockTop}:w=${s.blockWidth}:h=${s.blockHeight}:color=white:t=fill:enable='${enable}'`;
  const bits = Array.from({ length: s.bits }, (_, k) => box(k, `mod(floor((${code})/${2 ** k}),2)`));
  const complements = Array.from({ length: s.bits }, (_, k) => box(s.bits + k, `1-mod(floor((${code})/${2 ** k}),2)`));
  return [
    `scale=${s.width}:${s.height}`,
    `drawbox=x=0:y=${top}:w=${s.width}:h=${s.stripHeight}:color=black:t=fill`,
    ...bits,
    ...complements,
  ].join(',');
}

/** A file name for the coded clip that changes with the stamp, so a clip coded another way is never reused. */
export function codedClipName(s: StampLayout = STAMP): string {
  return `ckplus40-10fps-coded-${createHash('sha256').update(stampFilter(s)).digest('hex').slice(0, 10)}.mjpeg`;
}

/** Writes `source` (MJPEG) with frame codes stamped to `out` (MJPEG, near-lossless), once per path. */
export function writeStampedClip(source: string, out: string): void {
  if (existsSync(out)) return;
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp.mjpeg`;
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'mjpeg',
    '-i',
    source,
    '-vf',
    stampFilter(),
    '-c:v',
    'mjpeg',
    '-q:v',
    '2',
    '-pix_fmt',
    'yuvj420p',
    '-f',
    'mjpeg',
    tmp,
  ]);
  renameSync(tmp, out);
}

/**
 * Runs in the page (serialised by addInitScript): records the frame code of every frame grabbed from a camera <video>,
 * keyed by its stream time (seconds), in `window.__circumplexFrameCodes`: a VideoFrame by its own timestamp, a bitmap
 * (where the browser has no VideoFrame) by the mediaTime of the requestVideoFrameCallback it was taken in.
 * A code that does not read back as bits + complements is stored as -1.
 */
function frameCodeReader(s: StampLayout): void {
  const codes = new Map<number, number>();
  const MAX_CODES = 20_000;
  // The strip's middle rows at the clip's own width: one drawImage and one read per frame.
  const canvas = new OffscreenCanvas(s.width, 1);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const blockTop = s.height - s.stripHeight + (s.stripHeight - s.blockHeight) / 2;

  const read = (frame: ImageBitmap | VideoFrame): number => {
    const [width, height] = frame instanceof VideoFrame ? [frame.displayWidth, frame.displayHeight] : [frame.width, frame.height];
    const y = ((blockTop + s.blockHeight / 4) / s.height) * height;
    const h = (s.blockHeight / 2 / s.height) * height;
    context.drawImage(frame, 0, y, width, h, 0, 0, s.width, 1);
    const row = context.getImageData(0, 0, s.width, 1).data;
    // Block i is white when its centre column's green is bright.
    const white = (i: number): boolean => row[Math.round(s.left + i * s.pitch + s.blockWidth / 2) * 4 + 1]! > 128;
    let code = 0;
    for (let k = 0; k < s.bits; k++) {
      const bit = white(k);
      const complement = white(s.bits + k);
      if (bit === complement) return -1;
      if (bit) code += 2 ** k;
    }
    return code;
  };

  let mediaTime: number | undefined;
  const requestVideoFrameCallback = HTMLVideoElement.prototype.requestVideoFrameCallback;
  HTMLVideoElement.prototype.requestVideoFrameCallback = function (this: HTMLVideoElement, callback) {
    return requestVideoFrameCallback.call(this, (now, meta) => {
      mediaTime = this.srcObject ? meta.mediaTime : undefined;
      try {
        callback(now, meta);
      } finally {
        mediaTime = undefined;
      }
    });
  };
  const createImageBitmap = window.createImageBitmap.bind(window) as (...args: unknown[]) => Promise<ImageBitmap>;
  window.createImageBitmap = async function (...args: unknown[]): Promise<ImageBitmap> {
    const time = args[0] instanceof HTMLVideoElement ? mediaTime : undefined;
    const bitmap = await createImageBitmap(...args);
    record(time, bitmap);
    return bitmap;
  } as typeof window.createImageBitmap;
  const record = (time: number | undefined, frame: ImageBitmap | VideoFrame): void => {
    if (time === undefined) return;
    codes.set(time, read(frame));
    if (codes.size > MAX_CODES) codes.delete(codes.keys().next().value!);
  };
  // The app wraps the camera's frame in a VideoFrame where the browser has one (src/features/pipeline/camera-frame.ts).
  if (typeof VideoFrame === 'function') {
    const NativeVideoFrame = VideoFrame;
    window.VideoFrame = class extends NativeVideoFrame {
      constructor(...args: ConstructorParameters<typeof VideoFrame>) {
        super(...args);
        // Keyed by the frame's own stream time, as the app reports it (frame-loop.ts): the same value as the
        // callback's mediaTime, and there for the frame on screen when the loop starts, taken outside a callback.
        if (args[0] instanceof HTMLVideoElement && args[0].srcObject) record(this.timestamp / 1e6, this);
      }
    } as typeof VideoFrame;
  }
  (window as unknown as { __circumplexFrameCodes: () => [number, number][] }).__circumplexFrameCodes = () => [...codes.entries()];
}

/** Installs the reader; call before the page's first navigation. */
export async function installFrameCodeReader(page: Page): Promise<void> {
  await page.addInitScript(frameCodeReader, STAMP);
}

/** Stream time (mediaTime, s) -> clip frame read from that frame (-1: unreadable). */
export async function readFrameCodes(page: Page): Promise<Map<number, number>> {
  const entries = await page.evaluate(
    () => (window as unknown as { __circumplexFrameCodes?: () => [number, number][] }).__circumplexFrameCodes?.() ?? [],
  );
  return new Map(entries);
}
