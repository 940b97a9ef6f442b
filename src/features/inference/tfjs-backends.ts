/**
 * The expression model on TF.js: WebGPU, WebGL and plain JavaScript (cpu). Only tfjs-core here, loaded by the pipeline
 * worker when one of these backends is first tried (a machine that runs wasm never loads TF.js); each backend's own
 * code is registered through `loadBackend` (a dynamic import) as it is first tried.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendRunner } from './backend-activation.ts';
import { BackendStartError } from './backend-activation.ts';
import type { BackendName } from './backend-choice.ts';
import { loadExpressionModel } from './expression-model.ts';

/** tfjs-webgpu keeps its GPUDevice on the backend object. */
function webgpuDevice(): GPUDevice | undefined {
  const b = tf.backend() as unknown as { device?: GPUDevice };
  return b.device;
}

/** Destroys the current WebGPU device, as a driver reset would (tests the fallback); nothing on other backends. */
export function loseGpuDevice(): void {
  if (tf.getBackend() === 'webgpu') webgpuDevice()?.destroy();
}

/** `loadBackend` registers a backend's code before it is first tried; absent: all are registered already. */
export function tfjsBackendRunner(loadBackend?: (name: BackendName) => Promise<void>): BackendRunner {
  return {
    async start(name) {
      await loadBackend?.(name);
      // TF.js only logs why.
      if (!(await tf.setBackend(name))) throw new BackendStartError(`${name} could not start`);
      await tf.ready();
    },
    load: (_, entry, files) => loadExpressionModel(entry, files),
    liveTensors: () => tf.memory().numTensors,
    deviceLost(name) {
      const device = name === 'webgpu' ? webgpuDevice() : undefined;
      return device?.lost.then((info) => {
        tf.removeBackend('webgpu');
        return info.message || info.reason || 'unknown reason';
      });
    },
  };
}
