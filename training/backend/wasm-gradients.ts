// Registers the 'wasm' backend and its own kernels first, so that the ones below replace them, not the reverse.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from './tf.ts';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Wraps a kernel input as a Tensor owned by the enclosing tidy (adds a reference, never copies data). */
function own(info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info);
}

function input(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.Tensor {
  const info = inputs[name];
  if (info === undefined) throw new Error(`${kernel} (wasm training kernel): missing input '${name}'`);
  return own(info);
}

function requireNhwc(dataFormat: string | undefined, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} (wasm training kernel): only NHWC is supported, got dataFormat '${dataFormat}'`);
  }
}

/**
 * dW[kh, kw, ci, co] = sum over (n, oh, ow) of x[n, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[n, oh, ow, co],
 * one matMul per filter tap: the strided slice of the padded input that meets tap (kh, kw), as an [N*OH*OW, Cin]
 * matrix, transposed times dy as [N*OH*OW, Cout]. Same arithmetic as TensorFlow's im2col, without materialising the
 * KH*KW-times larger patch matrix.
 */
export function conv2dBackpropFilterByTaps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const { batchSize, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const [, inHeight, inWidth, inChannels] = x.shape;
    const outChannels = filterShape[3];
    const spanH = (outHeight - 1) * strideHeight + 1;
    const spanW = (outWidth - 1) * strideWidth + 1;
    const { top, left } = info.padInfo;
    const bottom = Math.max(0, spanH + filterHeight - 1 - inHeight - top);
    const right = Math.max(0, spanW + filterWidth - 1 - inWidth - left);
    const padded = top + bottom + left + right > 0 ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const rows = batchSize * outHeight * outWidth;
    const dy2 = tf.reshape(dy, [rows, outChannels]);
    const taps: tf.Tensor2D[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const patch = tf.stridedSlice(
          padded,
          [0, kh, kw, 0],
          [batchSize, kh + spanH, kw + spanW, inChannels],
          [1, strideHeight, strideWidth, 1],
        );
        taps.push(tf.matMul(tf.reshape(patch, [rows, inChannels]), dy2, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), filterShape);
  });
}

/**
 * The same sum as one convolution of transposed tensors: batch and channels of x swap places ([Cin, H, W, N]),
 * dy becomes the filter ([OH, OW, N, Cout]) dilated by the forward stride, and the result [Cin, KH, KW, Cout] is
 * transposed back.
 */
export function conv2dBackpropFilterByConv(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
    const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const [, inHeight, inWidth] = x.shape;
    const { top, left } = info.padInfo;
    // Rows/columns past the last window the forward pass read are cropped; missing ones are zero-padded.
    const usedH = (outHeight - 1) * strideHeight + filterHeight - top;
    const usedW = (outWidth - 1) * strideWidth + filterWidth - left;
    const cropped = usedH < inHeight || usedW < inWidth
      ? tf.slice(x, [0, 0, 0, 0], [-1, Math.min(inHeight, usedH), Math.min(inWidth, usedW), -1])
      : x;
    const bottom = Math.max(0, usedH - inHeight);
    const right = Math.max(0, usedW - inWidth);
    const xT = tf.transpose(cropped, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const out = tf.conv2d(xT, dyT, 1, [[0, 0], [top, bottom], [left, right], [0, 0]], 'NHWC', [
      strideHeight,
      strideWidth,
    ]);
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

function conv2dBackpropFilterKernel({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  requireNhwc(a.dataFormat, 'Conv2DBackpropFilter');
  return tf.tidy(() =>
    conv2dBackpropFilterByConv(
      input(inputs, 'x', 'Conv2DBackpropFilter') as tf.Tensor4D,
      input(inputs, 'dy', 'Conv2DBackpropFilter') as tf.Tensor4D,
      a.filterShape,
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
}

const KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterKernel },
];

/** Names of the kernels registerWasmTrainingKernels() provides for the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = KERNELS.map((k) => k.kernelName);

/**
 * Registers, for the 'wasm' backend, the kernels that training this project's models needs and that
 * @tensorflow/tfjs-backend-wasm 4.22.0 lacks or runs slowly, each built from kernels wasm does have.
 * Idempotent; replaces wasm's own version of a kernel where ours is faster.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') === config) continue;
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
