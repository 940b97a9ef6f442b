// Registers the 'wasm' backend and its own kernels first, so that the ones below replace them, not the reverse.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from './tf.ts';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/**
 * Wraps a kernel input as a Tensor owned by the enclosing tidy, without copying its data. The engine's wrapper
 * does not add a backend reference but disposing it drops one, so one is added here: without it the tidy would
 * free the caller's input.
 */
function own(info: tf.TensorInfo): tf.Tensor {
  const engine = tf.engine();
  const tensor = engine.makeTensorFromTensorInfo(info);
  engine.backend.incRef(info.dataId);
  return tensor;
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
 * computed as one convolution of transposed tensors: batch and channels of x swap places ([Cin, H, W, N]), dy
 * becomes the filter ([OH, OW, N, Cout]) dilated by the forward stride, and the result [Cin, KH, KW, Cout] is
 * transposed back. Measured against the im2col alternative (one [N*OH*OW, Cin]^T x [N*OH*OW, Cout] matMul per
 * filter tap) on the paper CNN's layers at batch 32: 5-11x faster (e.g. 24x24x32 -> 5x5x64: 80 ms vs 921 ms).
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
    const cropped =
      usedH < inHeight || usedW < inWidth ? tf.slice(x, [0, 0, 0, 0], [-1, Math.min(inHeight, usedH), Math.min(inWidth, usedW), -1]) : x;
    const bottom = Math.max(0, usedH - inHeight);
    const right = Math.max(0, usedW - inWidth);
    const xT = tf.transpose(cropped, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const out = tf.conv2d(
      xT,
      dyT,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      'NHWC',
      [strideHeight, strideWidth],
    );
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/** Pads (positive amounts) or crops (negative amounts) the two spatial dimensions of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number, value = 0): tf.Tensor4D {
  const [, height, width] = x.shape;
  const cropTop = Math.max(0, -top);
  const cropLeft = Math.max(0, -left);
  const keepH = height - cropTop - Math.max(0, -bottom);
  const keepW = width - cropLeft - Math.max(0, -right);
  const cropped =
    cropTop + cropLeft > 0 || keepH < height || keepW < width ? tf.slice(x, [0, cropTop, cropLeft, 0], [-1, keepH, keepW, -1]) : x;
  const [pt, pb, pl, pr] = [top, bottom, left, right].map((v) => Math.max(0, v)) as [number, number, number, number];
  return pt + pb + pl + pr > 0
    ? tf.pad(
        cropped,
        [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ],
        value,
      )
    : cropped;
}

/** Inserts stride-1 zeros after every row and column of dy: [N, OH, OW, C] -> [N, OH*sh, OW*sw, C]. */
function dilate(dy: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, h * strideHeight, w * strideWidth, c]);
}

/**
 * dx of a stride-s convolution is a stride-1 convolution of dy, dilated by s, with the filter flipped in space and
 * its in/out channels swapped (the "transposed convolution" identity). wasm's own Conv2DBackpropInput loops over
 * every output element in scalar code; this runs on its XNNPACK conv2d instead.
 */
export function conv2dBackpropInputByConv(
  inputShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
    const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const { top, left } = info.padInfo;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    // Amounts that make the stride-1 output exactly inHeight x inWidth; the dilated dy already carries
    // stride-1 trailing zeros, hence the subtraction.
    const padTop = filterHeight - 1 - top;
    const padLeft = filterWidth - 1 - left;
    const padBottom = inHeight + top - (outHeight - 1) * strideHeight - 1 - (strideHeight - 1);
    const padRight = inWidth + left - (outWidth - 1) * strideWidth - 1 - (strideWidth - 1);
    const spread = padOrCrop(dilate(dy, strideHeight, strideWidth), padTop, padBottom, padLeft, padRight);
    return tf.conv2d(spread, flipped, 1, 'valid');
  });
}

function conv2dBackpropInputKernel({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  requireNhwc(a.dataFormat, 'Conv2DBackpropInput');
  return tf.tidy(() =>
    conv2dBackpropInputByConv(
      a.inputShape,
      input(inputs, 'dy', 'Conv2DBackpropInput') as tf.Tensor4D,
      input(inputs, 'filter', 'Conv2DBackpropInput') as tf.Tensor4D,
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
}

/**
 * MaxPoolGrad routes each dy element to the first maximum of its window in row-major order, as TensorFlow and the
 * cpu backend do. wasm's own MaxPoolGrad loses some of them (on 2x2 stride 2 windows of random input it returned 0
 * where cpu returned dy), so it is replaced, not just sped up.
 */
export function maxPoolGradByArgMax(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computePool2DInfo(x.shape, filterSize, strides, 1, pad, dimRoundingMode);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const { top, left } = info.padInfo;
    const taps = fh * fw;
    const tiled = sh === fh && sw === fw;
    // The frame: input in padded coordinates, just big enough for every window (or, when windows tile it, exactly
    // the windows), padding never the maximum of a window.
    const frameH = tiled ? outHeight * fh : (outHeight - 1) * sh + fh;
    const frameW = tiled ? outWidth * fw : (outWidth - 1) * sw + fw;
    const frame = padOrCrop(x, top, frameH - inHeight - top, left, frameW - inWidth - left, -Infinity);
    let placed: tf.Tensor4D;
    if (tiled) {
      // Non-overlapping windows: a reshape + transpose lays each window out along one axis.
      const windows = tf.reshape(
        tf.transpose(tf.reshape(frame, [batchSize, outHeight, fh, outWidth, fw, inChannels]), [0, 1, 3, 5, 2, 4]),
        [batchSize, outHeight, outWidth, inChannels, taps],
      );
      const routed = tf.mul(tf.oneHot(tf.argMax(windows, 4), taps), tf.expandDims(dy, 4));
      placed = tf.reshape(tf.transpose(tf.reshape(routed, [batchSize, outHeight, outWidth, inChannels, fh, fw]), [0, 1, 4, 2, 5, 3]), [
        batchSize,
        frameH,
        frameW,
        inChannels,
      ]);
    } else {
      const values: tf.Tensor4D[] = [];
      for (let kh = 0; kh < fh; kh++) {
        for (let kw = 0; kw < fw; kw++) {
          const end = [batchSize, kh + frameH - fh + 1, kw + frameW - fw + 1, inChannels];
          values.push(tf.stridedSlice(frame, [0, kh, kw, 0], end, [1, sh, sw, 1]) as tf.Tensor4D);
        }
      }
      const winner = tf.argMax(tf.stack(values, 4), 4);
      const parts: tf.Tensor4D[] = [];
      for (let t = 0; t < taps; t++) {
        const kh = Math.floor(t / fw);
        const kw = t % fw;
        const share = tf.mul(dy, tf.cast(tf.equal(winner, t), 'float32')) as tf.Tensor4D;
        parts.push(padOrCrop(dilate(share, sh, sw), kh, frameH - kh - outHeight * sh, kw, frameW - kw - outWidth * sw));
      }
      placed = tf.addN(parts);
    }
    return padOrCrop(placed, -top, inHeight + top - frameH, -left, inWidth + left - frameW);
  });
}

function maxPoolGradKernel({ inputs, attrs }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  return tf.tidy(() =>
    maxPoolGradByArgMax(
      input(inputs, 'dy', 'MaxPoolGrad') as tf.Tensor4D,
      input(inputs, 'input', 'MaxPoolGrad') as tf.Tensor4D,
      a.filterSize,
      a.strides,
      a.pad,
      a.dimRoundingMode,
    ),
  );
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

/** wasm's own BatchMatMul, captured before ours replaces it. */
let wasmBatchMatMul: tf.KernelConfig | undefined;

/**
 * wasm's BatchMatMul runs XNNPACK only when neither operand is transposed; with transposeA/B (every matMul
 * gradient, e.g. a GRU's kernel gradient xᵀ·dy) it falls back to a scalar loop: 8.4 s of a 11.8 s GRU(100)
 * step at batch 64. Transposing explicitly (a fast copy) and multiplying untransposed is 20x+ faster.
 */
function batchMatMulKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const a = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const original = wasmBatchMatMul;
  if (!original) throw new Error('BatchMatMul (wasm training kernel): wasm kernel not captured');
  if (!a.transposeA && !a.transposeB) return original.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
  return tf.tidy(() => {
    const swap = (t: tf.Tensor): tf.Tensor =>
      tf.transpose(
        t,
        [...t.shape.keys()].map((i, _, all) => (i === all.length - 1 ? i - 1 : i === all.length - 2 ? i + 1 : i)),
      );
    const x = input(args.inputs, 'a', 'BatchMatMul');
    const y = input(args.inputs, 'b', 'BatchMatMul');
    return tf.matMul(a.transposeA ? swap(x) : x, a.transposeB ? swap(y) : y);
  });
}

/**
 * wasm's Tile is a scalar loop; BatchNormalization's gradient tiles every batch of activations through it
 * (the largest kernel of a training step of the efficient CNN: 767 of 4349 ms). Tiling is a broadcast in
 * disguise: x of shape [a, b] tiled by [r, s] equals (x as [1, a, 1, b]) * ones([r, a, s, b]) reshaped to
 * [r*a, s*b], and wasm's broadcasting Multiply is fast.
 */
let wasmTile: tf.KernelConfig | undefined;

function tileKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) {
  const reps = (args.attrs as unknown as { reps: number[] }).reps;
  const info = args.inputs.x;
  if (!info) throw new Error("Tile (wasm training kernel): missing input 'x'");
  // Axes that are tiled and longer than 1 need an extra broadcast axis; others keep one axis.
  const expanded: number[] = [];
  const target: number[] = [];
  info.shape.forEach((d, i) => {
    const r = reps[i] ?? 1;
    if (r > 1 && d > 1) {
      expanded.push(1, d);
      target.push(r, d);
    } else {
      expanded.push(d);
      target.push(d * r);
    }
  });
  // XNNPACK broadcasts up to 6 dimensions; other dtypes and higher ranks keep wasm's own kernel.
  if (expanded.length > 6 || (info.dtype !== 'float32' && info.dtype !== 'int32')) {
    if (!wasmTile) throw new Error('Tile (wasm training kernel): wasm kernel not captured');
    return wasmTile.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
  }
  return tf.tidy(() => {
    const x = input(args.inputs, 'x', 'Tile');
    const out = x.shape.map((d, i) => d * (reps[i] ?? 1));
    return tf.reshape(tf.mul(tf.reshape(x, expanded), tf.ones(target, x.dtype)), out);
  });
}

const KERNELS: readonly tf.KernelConfig[] = [
  {
    kernelName: 'Tile',
    backendName: 'wasm',
    kernelFunc: tileKernel as tf.KernelFunc,
    setupFunc: (backend) => wasmTile?.setupFunc?.(backend),
  },
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterKernel },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInputKernel },
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradKernel },
  {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: batchMatMulKernel as tf.KernelFunc,
    // wasm's kernel binds its wasm function in its setupFunc, run at backend start: keep running it.
    setupFunc: (backend) => wasmBatchMatMul?.setupFunc?.(backend),
  },
];

/** Names of the kernels registerWasmTrainingKernels() provides for the 'wasm' backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = KERNELS.map((k) => k.kernelName);

/**
 * Registers, for the 'wasm' backend, the kernels that training this project's models needs and that
 * @tensorflow/tfjs-backend-wasm 4.22.0 lacks or runs slowly, each built from kernels wasm does have.
 * Idempotent; replaces wasm's own version of a kernel where ours is faster.
 */
export function registerWasmTrainingKernels(): void {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (current && current.kernelFunc !== (batchMatMulKernel as tf.KernelFunc)) wasmBatchMatMul = current;
  const tile = tf.getKernel('Tile', 'wasm');
  if (tile && tile.kernelFunc !== (tileKernel as tf.KernelFunc)) wasmTile = tile;
  for (const config of KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') === config) continue;
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}
