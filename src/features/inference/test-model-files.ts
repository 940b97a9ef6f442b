/**
 * Test helper: a tfjs model saved the way training/export writes it (model.json + weights.bin under
 * <name>/), with a manifest entry listing both files, kept in memory.
 */
import * as tf from '@tensorflow/tfjs';
import { sha256HexOf } from '../../core/manifest.ts';
import type { ModelEntry } from '../../core/manifest.ts';

export async function modelFilesOf(
  model: tf.LayersModel,
  entry: Omit<ModelEntry, 'entry' | 'files' | 'format' | 'quantization'>,
): Promise<{ entry: ModelEntry; files: Map<string, Uint8Array> }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData!));
  const json = new TextEncoder().encode(
    JSON.stringify({
      format: 'layers-model',
      modelTopology: artifacts!.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }],
    }),
  );
  const files = new Map([
    [`${entry.name}/model.json`, json],
    [`${entry.name}/weights.bin`, weights],
  ]);
  const records = await Promise.all(
    [...files].map(async ([path, bytes]) => ({ path, bytes: bytes.byteLength, sha256: await sha256HexOf(bytes) })),
  );
  return { entry: { ...entry, format: 'tfjs-layers', entry: `${entry.name}/model.json`, files: records, quantization: 'float32' }, files };
}
