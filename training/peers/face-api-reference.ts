/**
 * node --import tsx training/peers/face-api-reference.ts IMAGE...
 * Prints, as JSON, what @vladmandic/face-api's own bundle (dist/face-api.node-wasm.js, its FaceExpressionNet
 * code over this repository's @tensorflow/tfjs) answers for each image: the reference that
 * face-api-expression.ts is checked against. Runs in its own process only, never beside the evaluation.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '../backend/tf.ts';
import { selectBackend } from '../backend/select.ts';
import { readImage } from '../data/decode.ts';
import { FACE_API_LABELS } from './labels.ts';
import { FACE_API_PACKAGE, installedPackage } from './packages.ts';

/** The part of face-api's public API used here (types/face-api.d.ts). */
interface FaceApiBundle {
  tf: { getBackend(): string };
  nets: {
    faceExpressionNet: {
      loadFromDisk(dir: string): Promise<void>;
      predictExpressions(input: tf.Tensor3D): Promise<Record<(typeof FACE_API_LABELS)[number], number>>;
    };
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const images = process.argv.slice(2);
  if (images.length === 0) throw new Error('usage: face-api-reference.ts IMAGE...');
  await selectBackend('wasm', { log: () => undefined });
  const pkg = await installedPackage(repoRoot, FACE_API_PACKAGE);
  const faceapi = createRequire(import.meta.url)(path.join(pkg.dir, 'dist/face-api.node-wasm.js')) as FaceApiBundle;
  if (faceapi.tf.getBackend() !== 'wasm')
    throw new Error(`face-api's tfjs runs on ${faceapi.tf.getBackend()}, not this process's wasm backend`);
  await faceapi.nets.faceExpressionNet.loadFromDisk(path.join(pkg.dir, 'model'));
  const out: number[][] = [];
  for (const file of images) {
    const image = await readImage(file);
    // RGB int32 like tf.node.decodeImage, which face-api's Node examples feed it.
    const rgb = tf.tidy(() => {
      const t = tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, image.channels], 'int32');
      return image.channels === 1 ? tf.tile(t, [1, 1, 3]) : tf.slice(t, [0, 0, 0], [-1, -1, 3]);
    });
    const expressions = await faceapi.nets.faceExpressionNet.predictExpressions(rgb);
    rgb.dispose();
    out.push(FACE_API_LABELS.map((l) => expressions[l]));
  }
  process.stdout.write(`${JSON.stringify({ labels: FACE_API_LABELS, version: pkg.version, probabilities: out })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`face-api-reference: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
