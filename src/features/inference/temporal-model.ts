/**
 * The exported temporal model (GRU layers -> Dense 'va') turned into plain weight arrays for the streaming
 * GRU in src/core, after checking it is the kind of GRU that code implements.
 */
import { LayersGraphError, topologyLayers } from '../../core/layers-topology.ts';
import type { LayerJson } from '../../core/layers-topology.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';
import { RECURRENT_ACTIVATION } from '../../core/recurrent.ts';
import type { DenseWeights, GruLayerWeights, GruStackWeights } from '../../core/streaming-gru.ts';
import { decodeLayersWeightArrays } from '../models/layers-weight-arrays.ts';
import type { ModelFiles } from '../models/model-artifacts.ts';

/** The layers of the temporal model's topology; errors name the file. */
function layersOf(topology: unknown, file: string): LayerJson[] {
  try {
    return topologyLayers(topology);
  } catch (e) {
    if (e instanceof LayersGraphError) throw new ModelFileError(file, e.message, 'modelTopology');
    throw e;
  }
}

/**
 * The streaming GRU's weights from a temporal model's topology and its weights by name ("rnn1/kernel"); throws
 * (naming the file) for anything the streaming GRU cannot run.
 */
export function gruStackFromLayers(topology: unknown, weights: ReadonlyMap<string, Float32Array>, file: string): GruStackWeights {
  const layers: GruLayerWeights[] = [];
  let head: DenseWeights | undefined;
  for (const layer of layersOf(topology, file)) {
    const { class_name: cls, name, config } = layer;
    const w = (v: string): Float32Array | undefined => weights.get(`${name}/${v}`);
    if (cls === 'InputLayer') continue;
    if (cls === 'GRU') {
      const act = String(config.recurrent_activation ?? '');
      if (act !== RECURRENT_ACTIVATION)
        throw new ModelFileError(file, `layer ${name} uses recurrent activation "${act}"; the app runs "${RECURRENT_ACTIVATION}"`);
      if (config.reset_after === true) throw new ModelFileError(file, `layer ${name} uses reset_after=True, which tfjs cannot run`);
      const [kernel, recurrentKernel, bias] = [w('kernel'), w('recurrent_kernel'), w('bias')];
      const units = Number(config.units);
      if (!kernel || !recurrentKernel || !bias) throw new ModelFileError(file, `layer ${name} lacks kernel, recurrent kernel or bias`);
      layers.push({ inputSize: kernel.length / (3 * units), units, kernel, recurrentKernel, bias });
    } else if (cls === 'Dense' && name === 'va') {
      const [kernel, bias] = [w('kernel'), w('bias')];
      const outputs = Number(config.units);
      if (!kernel || !bias) throw new ModelFileError(file, `layer ${name} lacks kernel or bias`);
      if ((config.activation ?? 'linear') !== 'linear')
        throw new ModelFileError(file, `layer va has activation "${String(config.activation)}"; the streaming head is linear`);
      head = { inputSize: kernel.length / outputs, outputs, kernel, bias };
    } else {
      throw new ModelFileError(file, `layer ${name} is a ${cls}; the streaming model runs GRU layers and a Dense 'va' head only`);
    }
  }
  if (!head) throw new ModelFileError(file, "has no Dense 'va' output layer");
  return { layers, head };
}

/** Loads the temporal model's weights from verified files (decoded into plain arrays). */
export function loadTemporalWeights(entry: ModelEntry, files: ModelFiles): { stack: GruStackWeights; window: number } {
  const { topology, weights } = decodeLayersWeightArrays(entry, files);
  const arrays = new Map([...weights].map(([name, w]) => [name, w.values] as const));
  const window = entry.input.shape[0] ?? 0;
  return { stack: gruStackFromLayers(topology, arrays, entry.entry), window };
}
