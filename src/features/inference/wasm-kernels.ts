/**
 * TF.js's wasm backend with only the kernels the app runs (a custom TF.js bundle): the backend itself from
 * '@tensorflow/tfjs-backend-wasm/dist/base', and the kernels of the face detector as TF.js runs it
 * (src/core/tflite-run.ts; the face worker calls the wasm kernels directly instead, tflite-wasm-run.ts), of every
 * layer kind src/core/layers-graph.ts can run, and of test-time mirroring (src/core/mirror-average.ts). Importing the
 * package's index would register all 160 of its kernels in both workers. wasm-kernels.test.ts runs the shipped models
 * under tf.profile and fails when one of them calls a kernel missing here.
 */
import { env, registerKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { addConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Add';
import { avgPoolConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/AvgPool';
import { batchMatMulConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/BatchMatMul';
import { castConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Cast';
import { clipByValueConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/ClipByValue';
import { concatConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Concat';
import { conv2DConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Conv2D';
import { eluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Elu';
import { fusedBatchNormConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FusedBatchNorm';
import { fusedConv2DConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FusedConv2D';
import { fusedDepthwiseConv2DConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/FusedDepthwiseConv2D';
import { identityConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Identity';
import { maxConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Max';
import { maxPoolConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/MaxPool';
import { meanConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Mean';
import { multiplyConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Multiply';
import { padV2Config } from '@tensorflow/tfjs-backend-wasm/dist/kernels/PadV2';
import { reluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Relu';
import { relu6Config } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Relu6';
import { reshapeConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Reshape';
import { reverseConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Reverse';
import { seluConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Selu';
import { sigmoidConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Sigmoid';
import { sliceConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Slice';
import { softmaxConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Softmax';
import { splitVConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/SplitV';
import { tanhConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Tanh';
import { transposeConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/Transpose';

import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm/dist/base';
import { browserWasmFeatures } from './wasm-runtime-keeper.ts';

/**
 * Points TF.js's wasm backend at the app's own binaries (`url`, /vendor/tfjs/) and tells it whether this browser runs
 * the threaded build, as browserWasmFeatures decides (the binary the page compiles, and the one the face worker checks
 * when the backend fails to start). Left to find out for itself, the backend posts a SharedArrayBuffer, which throws a
 * ReferenceError wherever the page is not cross-origin isolated, as this app never is; where DevTools is attached, that
 * Error's full stack is recorded, and in the face worker, which starts the backend as its module runs, that made V8
 * parse the whole worker script again (about 40 ms of its start in a trace; see scripts/tfjs-worker-platform.ts).
 */
export function configureWasmBackend(url: string): void {
  setWasmPaths(url);
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', browserWasmFeatures().threads);
}

/** The kernels registered for 'wasm', by their TF.js kernel name. */
export const WASM_KERNELS: readonly KernelConfig[] = [
  addConfig,
  avgPoolConfig,
  batchMatMulConfig,
  castConfig,
  clipByValueConfig,
  concatConfig,
  conv2DConfig,
  eluConfig,
  fusedBatchNormConfig,
  fusedConv2DConfig,
  fusedDepthwiseConv2DConfig,
  identityConfig,
  maxConfig,
  maxPoolConfig,
  meanConfig,
  multiplyConfig,
  padV2Config,
  reluConfig,
  relu6Config,
  reshapeConfig,
  reverseConfig,
  seluConfig,
  sigmoidConfig,
  sliceConfig,
  softmaxConfig,
  splitVConfig,
  tanhConfig,
  transposeConfig,
];

// Registered once per worker, when this module is first imported (as the package's index does with all of them).
for (const kernel of WASM_KERNELS) registerKernel(kernel);
