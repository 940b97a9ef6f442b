/**
 * The wiring and settings of a TF.js layers model (model.json's modelTopology, Keras format), read without running
 * anything: shared by the two runners of the app's layers models, on TF.js ops (layers-graph.ts) and on TF.js's wasm
 * kernels called directly (layers-wasm-run.ts), so that both accept and refuse the same models with the same words.
 */

/** A layer of model.json's modelTopology (Keras format, as tfjs-layers saves it). */
export interface LayerJson {
  readonly name: string;
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inbound_nodes?: readonly unknown[];
}

/** The model cannot be run here; the message says why (the caller names the file). */
export class LayersGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayersGraphError';
  }
}

export function pair(v: unknown, what: string): [number, number] {
  const a = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(a) || a.length !== 2 || !a.every((n) => Number.isInteger(n) && n > 0))
    throw new LayersGraphError(`${what} must be two positive integers, got ${JSON.stringify(v)}`);
  return [a[0] as number, a[1] as number];
}

export function padding(v: unknown, what: string): 'same' | 'valid' {
  if (v === 'same' || v === 'valid') return v;
  throw new LayersGraphError(`${what}: padding "${String(v)}" is not supported (same or valid)`);
}

export function channelsLast(config: LayerJson['config'], what: string): void {
  const format = config.data_format ?? 'channels_last';
  if (format !== 'channels_last') throw new LayersGraphError(`${what}: data_format "${String(format)}" is not supported (channels_last)`);
}

/** The activations both runners apply (Keras names). */
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function activationName(v: unknown, what: string): ActivationName {
  const name = String(v ?? 'linear');
  if (!(ACTIVATIONS as readonly string[]).includes(name))
    throw new LayersGraphError(`${what}: activation "${String(v)}" is not supported (${ACTIVATIONS.join(', ')})`);
  return name as ActivationName;
}

/** The layer kinds both runners run; any other is refused with its name. */
export const LAYER_KINDS = [
  'Conv2D',
  'Dense',
  'BatchNormalization',
  'ReLU',
  'Activation',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Dropout',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export function layerKind(layer: LayerJson): LayerKind {
  if (!(LAYER_KINDS as readonly string[]).includes(layer.class_name))
    throw new LayersGraphError(`layer ${layer.name} is a ${layer.class_name}, which the app cannot run (${LAYER_KINDS.join(', ')})`);
  return layer.class_name as LayerKind;
}

export interface Conv2dSettings {
  readonly strides: [number, number];
  readonly dilations: [number, number];
  readonly padding: 'same' | 'valid';
  readonly activation: ActivationName;
  readonly useBias: boolean;
}

export function conv2dSettings({ name, config }: LayerJson): Conv2dSettings {
  channelsLast(config, name);
  return {
    strides: pair(config.strides ?? 1, `${name} strides`),
    dilations: pair(config.dilation_rate ?? 1, `${name} dilation_rate`),
    padding: padding(config.padding ?? 'valid', name),
    activation: activationName(config.activation, name),
    useBias: config.use_bias !== false,
  };
}

export function denseSettings({ name, config }: LayerJson): { activation: ActivationName; useBias: boolean } {
  return { activation: activationName(config.activation, name), useBias: config.use_bias !== false };
}

/** Batch normalisation at inference: over the last axis, with or without its offset (center) and scale. */
export function batchNormSettings({ name, config }: LayerJson): { epsilon: number; center: boolean; scale: boolean } {
  const axis = config.axis ?? -1;
  if (axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1) && axis !== 3)
    throw new LayersGraphError(`${name}: batch normalisation over axis ${JSON.stringify(axis)} is not supported (the last axis)`);
  return { epsilon: Number(config.epsilon ?? 1e-3), center: config.center !== false, scale: config.scale !== false };
}

/** A ReLU layer: max(x, 0), clipped at `max` when it has one. */
export function reluSettings({ name, config }: LayerJson): { max: number | undefined } {
  if ((config.negative_slope ?? 0) !== 0 || (config.threshold ?? 0) !== 0)
    throw new LayersGraphError(`${name}: ReLU with a negative slope or a threshold is not supported`);
  return { max: typeof config.max_value === 'number' ? config.max_value : undefined };
}

/** MaxPooling2D and AveragePooling2D: pool_size windows, strides defaulting to the window. */
export function pool2dSettings({ name, config }: LayerJson): {
  size: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
} {
  channelsLast(config, name);
  const size = pair(config.pool_size ?? 2, `${name} pool_size`);
  return { size, strides: pair(config.strides ?? size, `${name} strides`), padding: padding(config.padding ?? 'valid', name) };
}

/** GlobalAveragePooling2D and GlobalMaxPooling2D: over height and width. */
export function globalPoolSettings({ name, config }: LayerJson): { keepDims: boolean } {
  channelsLast(config, name);
  return { keepDims: config.keepdims === true };
}

/** The one layer a layer takes its input from ([[["name", 0, 0, {}]]]); merges and shared layers are refused. */
function inboundOf(layer: LayerJson): string {
  const nodes = layer.inbound_nodes ?? [];
  const node = nodes[0];
  const first = Array.isArray(node) ? (node[0] as unknown) : undefined;
  if (nodes.length !== 1 || !Array.isArray(node) || node.length !== 1 || !Array.isArray(first) || typeof first[0] !== 'string')
    throw new LayersGraphError(`${layer.name}: only layers with one input, called once, are supported`);
  if (first[1] !== 0 || first[2] !== 0) throw new LayersGraphError(`${layer.name}: shared layers are not supported`);
  return first[0];
}

function asLayers(v: unknown): LayerJson[] {
  if (!Array.isArray(v)) throw new LayersGraphError('modelTopology has no layer list');
  for (const l of v) {
    const ok =
      typeof l === 'object' && l !== null && typeof (l as LayerJson).class_name === 'string' && typeof (l as LayerJson).config === 'object';
    if (!ok) throw new LayersGraphError(`modelTopology has a malformed layer: ${JSON.stringify(l).slice(0, 80)}`);
  }
  return (v as LayerJson[]).map((l) => ({ ...l, name: String(l.name ?? l.config.name) }));
}

/** The model inside model.json's modelTopology (tfjs-layers wraps it in model_config). */
function modelOf(topology: unknown): { class_name?: unknown; config?: unknown } | null {
  const top = topology as { model_config?: unknown } | null;
  return (top?.model_config ?? top) as { class_name?: unknown; config?: unknown } | null;
}

/** The layers of a saved Model or Sequential, in file order, each named (LayersGraphError when there are none). */
export function topologyLayers(topology: unknown): LayerJson[] {
  const config = modelOf(topology)?.config;
  return asLayers(Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers);
}

export interface Wiring {
  readonly layers: LayerJson[];
  /** For each layer (but the input): the name of the layer it reads. */
  readonly inbound: ReadonlyMap<string, string>;
  readonly input: string;
  readonly outputs: string[];
}

function outputNames(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new LayersGraphError('modelTopology has no output_layers');
  return v.map((o) => {
    if (!Array.isArray(o) || typeof o[0] !== 'string')
      throw new LayersGraphError(`modelTopology has a malformed output: ${JSON.stringify(o)}`);
    return o[0];
  });
}

/** A functional Model (layers with inbound nodes) or a Sequential (a chain), in the order the layers run. */
export function wiring(topology: unknown): Wiring {
  const model = modelOf(topology);
  const cls = model?.class_name;
  if (cls === 'Sequential') {
    const body = topologyLayers(topology).filter((l) => l.class_name !== 'InputLayer');
    const inbound = new Map(body.map((l, i) => [l.name, i === 0 ? 'input' : body[i - 1]!.name]));
    return { layers: body, inbound, input: 'input', outputs: body.length > 0 ? [body.at(-1)!.name] : ['input'] };
  }
  if (cls !== 'Model' && cls !== 'Functional')
    throw new LayersGraphError(`modelTopology is a ${String(cls)}; expected Model or Sequential`);
  const config = model!.config as { output_layers?: unknown };
  const layers = topologyLayers(topology);
  const inputs = layers.filter((l) => l.class_name === 'InputLayer');
  if (inputs.length !== 1) throw new LayersGraphError(`the model has ${inputs.length} inputs; one is supported`);
  const body = layers.filter((l) => l.class_name !== 'InputLayer');
  const inbound = new Map(body.map((l) => [l.name, inboundOf(l)]));
  return { layers: body, inbound, input: inputs[0]!.name, outputs: outputNames(config.output_layers) };
}
