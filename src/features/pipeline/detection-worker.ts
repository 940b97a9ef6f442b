/**
 * The page's side of the detection worker: a promise per frame, exactly one frame in flight.
 */
import type { FrameResult, FromWorker, ToWorker } from './protocol.ts';

export interface DetectionWorker {
  /** Transfers `frame` to the worker (the caller must not use it afterwards). */
  detect(frame: ImageBitmap, timestampMs: number): Promise<FrameResult>;
  readonly busy: boolean;
  dispose(): void;
}

interface Pending {
  resolve(result: FrameResult): void;
  reject(error: Error): void;
}

export function startDetectionWorker(options: { wasmBaseUrl: string; model: Uint8Array; modelFile: string }): Promise<DetectionWorker> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'face-detection' });
  const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);
  let pending: Pending | undefined;
  let disposed = false;

  return new Promise((resolveReady, rejectReady) => {
    const handle: DetectionWorker = {
      detect(frame, timestampMs) {
        if (disposed || pending) {
          frame.close();
          return Promise.reject(new Error(disposed ? 'detection worker disposed' : 'a frame is already in flight'));
        }
        return new Promise<FrameResult>((resolve, reject) => {
          pending = { resolve, reject };
          send({ type: 'frame', frame, timestampMs }, [frame]);
        });
      },
      get busy() {
        return pending !== undefined;
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        send({ type: 'dispose' });
        pending?.reject(new Error('detection worker disposed'));
        pending = undefined;
      },
    };

    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.type === 'ready') resolveReady(handle);
      else if (m.type === 'error' && m.stage === 'init') {
        worker.terminate();
        rejectReady(new Error(m.message));
      } else {
        const p = pending;
        pending = undefined;
        if (m.type === 'result') p?.resolve(m);
        else p?.reject(new Error(m.message));
      }
    };
    worker.onerror = (event) => {
      const error = new Error(`face detection worker failed: ${event.message || 'could not start'}`);
      pending?.reject(error);
      pending = undefined;
      rejectReady(error);
    };
    // A copy goes to the worker, so the caller's bytes stay usable.
    const model = options.model.slice();
    send({ type: 'init', wasmBaseUrl: options.wasmBaseUrl, model, modelFile: options.modelFile }, [model.buffer]);
  });
}
