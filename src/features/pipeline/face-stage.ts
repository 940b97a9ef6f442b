/**
 * The model worker's side of the face worker (face-worker.ts, stages 1-3): a promise per frame, answered in the order sent.
 * Frames go to the face worker as soon as they arrive, so it detects the next frame while the model worker is
 * still on the previous one. The page starts the face worker (spawnFaceWorker) and watches it for crashes; the model
 * worker talks to it over its end of their MessageChannel.
 */
import { RuntimeFileStartError } from '../face/wasm-check.ts';
import type { CameraFrame } from './camera-frame.ts';
import type { FaceStageResult, FromFaceWorker, ToFaceWorker } from './face-protocol.ts';

export interface FaceStage {
  /** Transfers `frame` to the face worker (the caller must not use it afterwards). */
  detect(frame: CameraFrame, timestampMs: number): Promise<FaceStageResult>;
  dispose(): void;
}

/** The detector did not start; `broken` names the app's own runtime file at fault, when one is. */
export class FaceStageStartError extends RuntimeFileStartError {
  override readonly name = 'FaceStageStartError';
}

interface Pending {
  resolve(result: FaceStageResult): void;
  reject(error: Error): void;
}

/**
 * The face worker at the other end of `port`, once its detector is ready: the page sends it the detector's model
 * itself (FaceInit) as soon as that is downloaded, and the face worker answers here.
 */
export function startFaceStage(port: MessagePort): Promise<FaceStage> {
  const send = (message: ToFaceWorker, transfer: Transferable[] = []): void => port.postMessage(message, transfer);
  /** Frames sent and not yet answered, oldest first. */
  const pending: Pending[] = [];
  let disposed = false;
  const failAll = (error: Error): void => {
    for (const p of pending.splice(0)) p.reject(error);
  };

  return new Promise((resolveReady, rejectReady) => {
    const stage: FaceStage = {
      detect(frame, timestampMs) {
        if (disposed) {
          frame.close();
          return Promise.reject(new Error('face worker disposed'));
        }
        return new Promise((resolve, reject) => {
          pending.push({ resolve, reject });
          send({ type: 'frame', frame, timestampMs }, [frame]);
        });
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        send({ type: 'dispose' });
        failAll(new Error('face worker disposed'));
      },
    };
    port.onmessage = (event: MessageEvent<FromFaceWorker>) => {
      const m = event.data;
      switch (m.type) {
        case 'ready':
          resolveReady(stage);
          return;
        case 'faces': {
          const { type: _, ...result } = m;
          pending.shift()?.resolve(result);
          return;
        }
        case 'error':
          if (m.stage === 'init') {
            send({ type: 'dispose' });
            rejectReady(new FaceStageStartError(m.message, m.file && m.problem ? { file: m.file, problem: m.problem } : undefined));
          } else {
            pending.shift()?.reject(new Error(m.message));
          }
          return;
      }
    };
  });
}
