// The page side of training's face detector (training/face/detect-in-chromium.ts): the app's MediaPipe
// FaceDetector, served from disk through Playwright routes on a fake origin. Node sends raw pixels as
// base64 (gray, RGB or RGBA) and gets MediaPipe's boxes back in the pixels it sent.
/* global ImageData, atob, fetch */
import { FaceDetector, FilesetResolver } from '/tasks-vision/vision_bundle.mjs';

let detector;

function toImageData({ width, height, channels, base64 }) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    if (channels === 1) {
      rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = bytes[j];
    } else {
      rgba[4 * i] = bytes[j];
      rgba[4 * i + 1] = bytes[j + 1];
      rgba[4 * i + 2] = bytes[j + 2];
    }
    rgba[4 * i + 3] = 255;
  }
  return new ImageData(rgba, width, height);
}

globalThis.circumplexFaceDetector = {
  async init({ modelUrl, settings }) {
    const fileset = await FilesetResolver.forVisionTasks('/tasks-vision/wasm');
    const model = new Uint8Array(await (await fetch(modelUrl)).arrayBuffer());
    detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: model, delegate: settings.delegate },
      runningMode: 'IMAGE',
      minDetectionConfidence: settings.minDetectionConfidence,
      minSuppressionThreshold: settings.minSuppressionThreshold,
    });
  },
  detect(images) {
    if (!detector) throw new Error('detector not initialised');
    return images.map((image) => {
      const result = detector.detect(toImageData(image));
      return result.detections.map((d) => ({
        boundingBox: d.boundingBox && {
          originX: d.boundingBox.originX,
          originY: d.boundingBox.originY,
          width: d.boundingBox.width,
          height: d.boundingBox.height,
        },
        categories: d.categories.map((c) => ({ score: c.score })),
      }));
    });
  },
  close() {
    detector?.close();
    detector = undefined;
  },
};
