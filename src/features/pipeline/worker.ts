/**
 * Face detection off the main thread. The page transfers one ImageBitmap at a time; every bitmap is
 * closed here on every path, so GPU/CPU memory for frames never piles up.
 */
import { createFaceDetector } from '../face/face-detector.ts';
import type { FaceDetectorHandle } from '../face/face-detector.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let detector: FaceDetectorHandle | undefined;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      try {
        detector = await createFaceDetector({ wasmBaseUrl: message.wasmBaseUrl, model: message.model, moduleLoader: true });
        post({ type: 'ready' });
      } catch (e) {
        post({ type: 'error', stage: 'init', message: `${message.modelFile}: the face detector could not be loaded (${describe(e)})` });
      }
      return;
    case 'frame': {
      const { frame, timestampMs } = message;
      try {
        if (!detector) throw new Error('frame received before the detector was ready');
        const { faces, detectorMs } = detector.detect(frame, timestampMs);
        post({ type: 'result', faces, width: frame.width, height: frame.height, detectorMs, timestampMs });
      } catch (e) {
        post({ type: 'error', stage: 'frame', message: describe(e) });
      } finally {
        frame.close();
      }
      return;
    }
    case 'dispose':
      detector?.dispose();
      detector = undefined;
      scope.close();
      return;
  }
};
