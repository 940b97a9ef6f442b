/**
 * face-api.js FaceExpressionNet as shipped by @vladmandic/face-api (`model/face_expression_model*`): weights
 * only (uint8-quantised, tfjs weights manifest), so the network is rebuilt here with this process's tfjs,
 * layer by layer after the package's own source:
 *   src/faceFeatureExtractor/FaceFeatureExtractor.ts  input 112x112 RGB, minus mean RGB, / 255, 4 dense blocks, avgPool 7 stride 2
 *   src/faceFeatureExtractor/denseBlock.ts            denseBlock4 (first block: plain conv, later: separable conv, stride 2)
 *   src/common/depthwiseSeparableConv.ts              separableConv2d 'same' + bias
 *   src/faceProcessor/FaceProcessor.ts, src/common/fullyConnectedLayer.ts   fc 256 -> 7 on the flattened features
 *   src/faceExpressionNet/FaceExpressionNet.ts        softmax
 *   src/dom/NetInput.ts toBatchTensor(112, true)      tensor input: centred zero padding to a square, resizeBilinear (no corner alignment)
 *   src/ops/padToSquare.ts                            the padding split
 * training/peers/face-api-reference.ts runs the package's own bundle for comparison.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '../backend/tf.ts';
import type { RawImage } from '../../src/core/preprocess.ts';
import { FACE_API_LABELS, toEmotions } from './labels.ts';
import { FACE_API_PACKAGE, installedPackage } from './packages.ts';
import { rgbBatch } from './rgb-tensor.ts';
import type { EmotionClassifier } from './types.ts';

const INPUT_SIZE = 112;
const MEAN_RGB = [122.782, 117.001, 104.298] as const;
const MANIFEST = 'face_expression_model-weights_manifest.json';

interface SeparableConv {
  depthwise: tf.Tensor4D;
  pointwise: tf.Tensor4D;
  bias: tf.Tensor1D;
}
interface DenseBlock {
  conv0: { filters: tf.Tensor4D; bias: tf.Tensor1D } | SeparableConv;
  conv1: SeparableConv;
  conv2: SeparableConv;
  conv3: SeparableConv;
}
interface Params {
  blocks: [DenseBlock, DenseBlock, DenseBlock, DenseBlock];
  fcWeights: tf.Tensor2D;
  fcBias: tf.Tensor1D;
}

function separableConv(x: tf.Tensor4D, p: SeparableConv, stride: 1 | 2): tf.Tensor4D {
  return tf.add<tf.Tensor4D>(tf.separableConv2d(x, p.depthwise, p.pointwise, stride, 'same'), p.bias);
}

function denseBlock4(x: tf.Tensor4D, p: DenseBlock): tf.Tensor4D {
  const add = (a: tf.Tensor4D, b: tf.Tensor): tf.Tensor4D => tf.add<tf.Tensor4D>(a, b);
  const out1 = tf.relu('filters' in p.conv0 ? add(tf.conv2d(x, p.conv0.filters, 2, 'same'), p.conv0.bias) : separableConv(x, p.conv0, 2));
  const out2 = separableConv(out1, p.conv1, 1);
  const in3 = tf.relu(add(out1, out2));
  const out3 = separableConv(in3, p.conv2, 1);
  const in4 = tf.relu(add(out1, add(out2, out3)));
  const out4 = separableConv(in4, p.conv3, 1);
  return tf.relu(add(out1, add(out2, add(out3, out4))));
}

/** padToSquare(x, isCenterImage = true): zeros, round(diff / 2) after the image and the rest before it. */
function padToSquare(x: tf.Tensor4D): tf.Tensor4D {
  const [, height = 0, width = 0] = x.shape;
  if (height === width) return x;
  const diff = Math.abs(height - width);
  const after = Math.round(diff * 0.5);
  const before = diff - after;
  return height > width
    ? tf.pad(x, [
        [0, 0],
        [0, 0],
        [before, after],
        [0, 0],
      ])
    : tf.pad(x, [
        [0, 0],
        [before, after],
        [0, 0],
        [0, 0],
      ]);
}

/** Softmax probabilities in FACE_API_LABELS order for a [1, h, w, 3] 0..255 RGB batch. */
function forward(params: Params, rgb: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const square = padToSquare(rgb);
    const resized =
      square.shape[1] === INPUT_SIZE && square.shape[2] === INPUT_SIZE
        ? square
        : tf.image.resizeBilinear(square, [INPUT_SIZE, INPUT_SIZE], false, false);
    let out = tf.div<tf.Tensor4D>(tf.sub(resized, tf.tensor1d([...MEAN_RGB])), 255);
    for (const block of params.blocks) out = denseBlock4(out, block);
    const pooled = tf.avgPool(out, [7, 7], [2, 2], 'valid');
    const flat = tf.reshape(pooled, [pooled.shape[0], -1]) as tf.Tensor2D;
    return tf.softmax(tf.add<tf.Tensor2D>(tf.matMul(flat, params.fcWeights), params.fcBias));
  });
}

function takeParams(weights: tf.NamedTensorMap, file: string): Params {
  const used = new Set<string>();
  const get = <T extends tf.Tensor>(name: string, rank: number): T => {
    const t = weights[name];
    if (!t) throw new Error(`${file}: no weight "${name}" (not the face-api.js FaceExpressionNet layout)`);
    if (t.rank !== rank) throw new Error(`${file}: weight "${name}" has rank ${t.rank}, expected ${rank}`);
    used.add(name);
    return t as T;
  };
  const sep = (prefix: string): SeparableConv => ({
    depthwise: get(`${prefix}/depthwise_filter`, 4),
    pointwise: get(`${prefix}/pointwise_filter`, 4),
    bias: get(`${prefix}/bias`, 1),
  });
  const block = (name: string, first: boolean): DenseBlock => ({
    conv0: first ? { filters: get(`${name}/conv0/filters`, 4), bias: get(`${name}/conv0/bias`, 1) } : sep(`${name}/conv0`),
    conv1: sep(`${name}/conv1`),
    conv2: sep(`${name}/conv2`),
    conv3: sep(`${name}/conv3`),
  });
  const params: Params = {
    blocks: [block('dense0', true), block('dense1', false), block('dense2', false), block('dense3', false)],
    fcWeights: get('fc/weights', 2),
    fcBias: get('fc/bias', 1),
  };
  const extra = Object.keys(weights).filter((k) => !used.has(k));
  if (extra.length > 0) throw new Error(`${file}: unexpected weights ${extra.join(', ')} (not the face-api.js FaceExpressionNet layout)`);
  if (params.fcWeights.shape[1] !== FACE_API_LABELS.length)
    throw new Error(`${file}: fc/weights has ${params.fcWeights.shape[1]} outputs, expected ${FACE_API_LABELS.length}`);
  return params;
}

/** Reads `dir/face_expression_model-weights_manifest.json` and its shards, dequantising as tf.io.loadWeights does. */
async function readWeights(dir: string): Promise<{ weights: tf.NamedTensorMap; file: string }> {
  const file = path.join(dir, MANIFEST);
  let manifest: tf.io.WeightsManifestConfig;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as tf.io.WeightsManifestConfig;
  } catch (e) {
    throw new Error(`${file}: cannot read the face-api.js weights manifest (${(e as Error).message})`, { cause: e });
  }
  const specs = manifest.flatMap((g) => g.weights);
  const shards = await Promise.all(manifest.flatMap((g) => g.paths.map((p) => readFile(path.join(dir, p)))));
  const joined = Buffer.concat(shards);
  const buffer = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  try {
    return { weights: tf.io.decodeWeights(buffer, specs), file };
  } catch (e) {
    throw new Error(`${file}: weights do not match the manifest (${(e as Error).message})`, { cause: e });
  }
}

/** face-api.js expression net from `<repoRoot>/node_modules/@vladmandic/face-api/model/`. */
export async function loadFaceApiExpression(repoRoot: string): Promise<EmotionClassifier> {
  const pkg = await installedPackage(repoRoot, FACE_API_PACKAGE);
  const { weights, file } = await readWeights(path.join(pkg.dir, 'model'));
  let params: Params;
  try {
    params = takeParams(weights, file);
  } catch (e) {
    tf.dispose(Object.values(weights));
    throw e;
  }
  return {
    name: 'face-api',
    source: `${FACE_API_PACKAGE}@${pkg.version} model/face_expression_model (face-api.js FaceExpressionNet)`,
    preprocessing:
      'RGB (gray repeated), centred zero padding to a square, resizeBilinear to 112x112 (alignCorners false), minus mean RGB (122.782, 117.001, 104.298), / 255 (src/faceFeatureExtractor/FaceFeatureExtractor.ts, src/dom/NetInput.ts)',
    labels: toEmotions(FACE_API_LABELS, file),
    classify(image: RawImage): Float32Array {
      const rgb = rgbBatch(image);
      const probs = forward(params, rgb);
      rgb.dispose();
      const out = probs.dataSync() as Float32Array;
      probs.dispose();
      return out;
    },
    dispose(): void {
      tf.dispose(Object.values(weights));
    },
  };
}
