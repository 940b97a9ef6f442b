/**
 * Kernels this project replaces on tfjs-node's 'tensorflow' backend, where @tensorflow/tfjs-node 4.22.0 builds them
 * from many full-size TensorFlow ops. Measured with tf.profile on one training step of the efficient CNN (batch 64):
 * its Step (ReLU's gradient mask) made isNaN, greater, ones(x.shape), fill(x.shape), where and Select per call, 52 ms
 * a call, the most expensive kernel of the step. Its FusedBatchNorm runs TensorFlow's FusedBatchNorm op, 66 ms on a
 * 64x48x48x32 input where the same arithmetic as three broadcast ops takes 11 ms (TF 2.21, 2 cores, shared). After
 * both, the efficient CNN's step under tf.profile went from 1047 ms to 596 ms (batch 64; the machine shared, load ~6).
 */
import * as tf from './tf.ts';

/** Wraps a kernel input as a Tensor owned by the enclosing tidy (see wasm-gradients.ts: the same engine rule). */
function own(info: tf.TensorInfo): tf.Tensor {
  const engine = tf.engine();
  const tensor = engine.makeTensorFromTensorInfo(info);
  engine.backend.incRef(info.dataId);
  return tensor;
}

let nativeStep: tf.KernelConfig | undefined;

/** step(x) = 1 where x > 0, alpha elsewhere, NaN where x is NaN: tfjs' definition, in four elementwise ops. */
function stepKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const alpha = Number((args.attrs as { alpha?: number } | undefined)?.alpha ?? 0);
  const info = args.inputs.x;
  if (info === undefined) throw new Error("Step (tfjs-node kernel): missing input 'x'");
  if (alpha !== 0 || info.dtype !== 'float32') return nativeStep!.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  return tf.tidy(() => {
    const x = own(info);
    return tf.where(tf.isNaN(x), x, tf.cast(tf.greater(x, 0), 'float32'));
  });
}

let nativeBatchNorm: tf.KernelConfig | undefined;

/**
 * (x - mean) * (scale / sqrt(variance + epsilon)) + offset: tfjs' batchNorm, the per-channel factor computed once on
 * the small tensors, so that the full-size work is one sub, one mul and one add. Means of rank > 1 keep tfjs-node's.
 */
function batchNormKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const { x, mean, variance, scale, offset } = args.inputs;
  const epsilon = Number((args.attrs as { varianceEpsilon?: number } | undefined)?.varianceEpsilon ?? 0.001);
  if (x === undefined || mean === undefined || variance === undefined)
    throw new Error('FusedBatchNorm (tfjs-node kernel): missing x, mean or variance');
  if (x.dtype !== 'float32' || mean.shape.length > 1 || variance.shape.length > 1) {
    return nativeBatchNorm!.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  return tf.tidy(() => {
    let factor = tf.rsqrt(tf.add(own(variance), epsilon));
    if (scale !== undefined) factor = tf.mul(factor, own(scale));
    const centred = tf.mul(tf.sub(own(x), own(mean)), factor);
    return offset === undefined ? centred : tf.add(centred, own(offset));
  });
}

const BATCH_NORM: tf.KernelConfig = {
  kernelName: 'FusedBatchNorm',
  backendName: 'tensorflow',
  kernelFunc: batchNormKernel as tf.KernelFunc,
};

const STEP: tf.KernelConfig = { kernelName: 'Step', backendName: 'tensorflow', kernelFunc: stepKernel as tf.KernelFunc };

/** Names of the kernels registerTfjsNodeKernels() replaces on the 'tensorflow' backend. */
export const TFJS_NODE_KERNELS: readonly string[] = [STEP.kernelName, BATCH_NORM.kernelName];

/** Replaces the first with the second, keeping the first as the fallback; undefined when tfjs-node is not loaded. */
function replace(config: tf.KernelConfig): tf.KernelConfig | undefined {
  const current = tf.getKernel(config.kernelName, 'tensorflow');
  if (current === undefined || current.kernelFunc === config.kernelFunc) return undefined;
  tf.unregisterKernel(config.kernelName, 'tensorflow');
  tf.registerKernel(config);
  return current;
}

/** Registers STEP and BATCH_NORM on the 'tensorflow' backend. Idempotent; call after loading tfjs-node. */
export function registerTfjsNodeKernels(): void {
  nativeStep = replace(STEP) ?? nativeStep;
  nativeBatchNorm = replace(BATCH_NORM) ?? nativeBatchNorm;
}

/** tfjs-node's own kernels, as they were before registerTfjsNodeKernels() (for tests). */
export function nativeTfjsNodeKernel(name: 'Step' | 'FusedBatchNorm'): tf.KernelConfig | undefined {
  return name === 'Step' ? nativeStep : nativeBatchNorm;
}
