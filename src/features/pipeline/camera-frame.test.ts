import { afterEach, describe, expect, it, vi } from 'vitest';
import { grabCameraFrame, isVideoFrame } from './camera-frame.ts';

const video = { videoWidth: 640, videoHeight: 480 } as unknown as HTMLVideoElement;

/** A VideoFrame constructor that wraps a <video>, or refuses to as `fails` says. */
function stubVideoFrame(fails: boolean) {
  class StubVideoFrame {
    readonly source: unknown;
    constructor(source: unknown) {
      if (fails) throw new DOMException('no frame', 'InvalidStateError');
      this.source = source;
    }
    close(): void {}
  }
  vi.stubGlobal('VideoFrame', StubVideoFrame);
  return StubVideoFrame;
}

describe('grabCameraFrame', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('wraps the frame on screen in a VideoFrame where the browser has one, copying nothing', async () => {
    const StubVideoFrame = stubVideoFrame(false);
    const copy = vi.fn();
    vi.stubGlobal('createImageBitmap', copy);
    const frame = await grabCameraFrame(video);
    expect(frame).toBeInstanceOf(StubVideoFrame);
    expect(isVideoFrame(frame)).toBe(true);
    expect(copy).not.toHaveBeenCalled();
  });

  it('copies the frame into a bitmap where there is no VideoFrame, or where it refuses the video', async () => {
    const bitmap = { width: 640, height: 480, close() {} };
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async () => bitmap),
    );
    vi.stubGlobal('VideoFrame', undefined);
    expect(await grabCameraFrame(video)).toBe(bitmap);
    stubVideoFrame(true);
    const frame = await grabCameraFrame(video);
    expect(frame).toBe(bitmap);
    expect(isVideoFrame(frame)).toBe(false);
  });

  it('reports a video with no frame as the bitmap copy does', async () => {
    stubVideoFrame(true);
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async () => {
        throw new DOMException('The video has no frame', 'InvalidStateError');
      }),
    );
    await expect(grabCameraFrame(video)).rejects.toThrow('The video has no frame');
  });
});
