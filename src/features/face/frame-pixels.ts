/**
 * A camera frame's pixels, read once per frame in the face worker: the detector's input and the face crop are both
 * cut from them by the pure functions training uses too (src/core/blazeface.ts, src/core/preprocess.ts).
 *
 * A VideoFrame is converted to RGBA by the browser (VideoFrame.copyTo) into one buffer reused from frame to frame; a
 * browser that cannot convert it, and an ImageBitmap, go through a 2D canvas (drawImage, getImageData).
 */
import type { RawImage } from '../../core/preprocess.ts';
import { isVideoFrame } from '../pipeline/camera-frame.ts';
import type { CameraFrame } from '../pipeline/camera-frame.ts';

export interface FramePixelReader {
  /** The frame's pixels (RGBA), valid until the next read. */
  read(frame: CameraFrame): Promise<RawImage>;
}

/** The size of the pixels a frame holds (a VideoFrame's visible part). */
export function frameSize(frame: CameraFrame): { width: number; height: number } {
  if (!isVideoFrame(frame)) return { width: frame.width, height: frame.height };
  const rect = frame.visibleRect;
  return { width: rect?.width ?? frame.displayWidth, height: rect?.height ?? frame.displayHeight };
}

/** One reusable canvas, resized when the frame size changes. */
function createCanvasReader(): (frame: CameraFrame, width: number, height: number) => RawImage {
  let canvas: OffscreenCanvas | undefined;
  let context: OffscreenCanvasRenderingContext2D | undefined;
  return (frame, width, height) => {
    if (!canvas || canvas.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
      context = canvas.getContext('2d', { willReadFrequently: true }) ?? undefined;
    }
    if (!context) throw new Error('no 2D canvas context in the worker');
    context.drawImage(frame, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height);
    return { data: pixels.data, width, height, channels: 4 };
  };
}

export function createFramePixelReader(): FramePixelReader {
  const viaCanvas = createCanvasReader();
  let buffer = new Uint8ClampedArray(0);
  /** Set once VideoFrame.copyTo could not convert to RGBA here: later frames go through the canvas. */
  let copyToFailed = false;
  return {
    async read(frame) {
      const { width, height } = frameSize(frame);
      if (!isVideoFrame(frame) || copyToFailed) return viaCanvas(frame, width, height);
      if (buffer.length !== width * height * 4) buffer = new Uint8ClampedArray(width * height * 4);
      try {
        await frame.copyTo(buffer, { format: 'RGBA', colorSpace: 'srgb' });
      } catch {
        copyToFailed = true;
        return viaCanvas(frame, width, height);
      }
      return { data: buffer, width, height, channels: 4 };
    },
  };
}
