/**
 * A camera frame on its way to the face worker: a VideoFrame where the browser has WebCodecs' VideoFrame (a reference
 * to the frame the camera delivered: nothing is copied on the page's thread), else an ImageBitmap copy of the <video>.
 * Both are transferred to the workers and closed by the face worker on every path.
 */
export type CameraFrame = ImageBitmap | VideoFrame;

/** The frame on screen in `video` (which must have one: readyState >= HAVE_CURRENT_DATA). */
export async function grabCameraFrame(video: HTMLVideoElement): Promise<CameraFrame> {
  if (typeof VideoFrame === 'function') {
    try {
      return new VideoFrame(video);
    } catch {
      // A <video> the browser will not wrap (or no frame yet): the bitmap copy below reports what is wrong.
    }
  }
  return createImageBitmap(video);
}

export function isVideoFrame(frame: CameraFrame): frame is VideoFrame {
  return typeof VideoFrame === 'function' && frame instanceof VideoFrame;
}
