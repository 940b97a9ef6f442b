/**
 * The exported temporal model (GRU layers -> Dense 'va') turned into plain weight arrays for the streaming
 * GRU in src/core, after checking it is the kind of GRU that code implements.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import type { layers, LayersModel } from '@tensorflow/tfjs-layers';
import { ModelFileError } from '../../core/manifest.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { RECURRENT_ACTIVATION } from '../../core/recurrent.ts';
import type { DenseWeights, GruLayerWeights, GruStackWeights } from '../../core/streaming-gru.ts';
import { layersArtifacts } from '../models/model-artifacts.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';

function values(layer: layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** Weights of a loaded GRU model; throws (naming the file) for anything the streaming GRU cannot run. */
export function gruStackFromModel(model: LayersModel, file: string): GruStackWeights {
  const layers: GruLayerWeights[] = [];
  let head: DenseWeights | undefined;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const config = layer.getConfig();
    if (cls === 'GRU') {
      const act = String(config.recurrentActivation ?? '');
      if (act !== RECURRENT_ACTIVATION)
        throw new ModelFileError(file, `layer ${layer.name} uses recurrent activation "${act}"; the app runs "${RECURRENT_ACTIVATION}"`);
      if (config.resetAfter === true) throw new ModelFileError(file, `layer ${layer.name} uses reset_after=True, which tfjs cannot run`);
      const [kernel, recurrentKernel, bias] = values(layer);
      const units = Number(config.units);
      if (!kernel || !recurrentKernel || !bias)
        throw new ModelFileError(file, `layer ${layer.name} lacks kernel, recurrent kernel or bias`);
      layers.push({ inputSize: kernel.length / (3 * units), units, kernel, recurrentKernel, bias });
    } else if (cls === 'Dense' && layer.name === 'va') {
      const [kernel, bias] = values(layer);
      const outputs = Number(config.units);
      if (!kernel || !bias) throw new ModelFileError(file, `layer ${layer.name} lacks kernel or bias`);
      if (config.activation !== 'linear')
        throw new ModelFileError(file, `layer va has activation "${String(config.activation)}"; the streaming head is linear`);
      head = { inputSize: kernel.length / outputs, outputs, kernel, bias };
    } else if (cls !== 'Dense') {
      throw new ModelFileError(file, `layer ${layer.name} is a ${cls}; the streaming model runs GRU layers and a Dense 'va' head only`);
    }
  }
  if (!head) throw new ModelFileError(file, "has no Dense 'va' output layer");
  return { layers, head };
}

/** Loads the temporal model's weights from verified files (the tf model is disposed right away). */
export async function loadTemporalWeights(entry: ModelEntry, files: ModelFiles): Promise<{ stack: GruStackWeights; window: number }> {
  const model = await loadLayersModel(tf.io.fromMemory(layersArtifacts(entry, files)));
  try {
    const window = entry.input.shape[0] ?? 0;
    return { stack: gruStackFromModel(model, entry.entry), window };
  } finally {
    model.dispose();
  }
}
