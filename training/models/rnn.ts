/**
 * The paper's temporal models (research notes §1): windows of 100 frames x 300 CNN features -> SimpleRNN(100),
 * GRU(100) or GRU(100)-GRU(100)-GRU(50) -> Dense 2 'va' on the last step (the label of the frame after the window).
 *
 * tfjs's GRU implements only Keras' `reset_after=False` form (it throws on `resetAfter: true`), with one bias of
 * 3 * units and gates in the order [z, r, h]:
 *   z = σ(x Wz + h Uz + bz),  r = σ(x Wr + h Ur + br),  ĥ = tanh(x Wh + (r ⊙ h) Uh + bh),  h' = z ⊙ h + (1 - z) ⊙ ĥ
 * Keras' default (`reset_after=True`, two biases) cannot be loaded by tfjs, so the GRUs are trained here, and the
 * app's streaming GRU implements exactly these equations with σ = RECURRENT_ACTIVATION.
 */
import * as tf from '../backend/tf.ts';
import { RECURRENT_ACTIVATION, type RecurrentActivation } from '../../src/core/recurrent.ts';
import { CLASSES_OUTPUT, FEATURE_SIZE, VA_OUTPUT, type VaActivation } from './heads.ts';

export { RECURRENT_ACTIVATION };

export type RnnKind = 'simple' | 'gru' | 'gru3';

/** Units of each recurrent layer per kind (the paper's three configurations). */
export const RNN_UNITS: Readonly<Record<RnnKind, readonly number[]>> = {
  simple: [100],
  gru: [100],
  gru3: [100, 100, 50],
};

export interface RnnOptions {
  readonly kind: RnnKind;
  /** Frames per window. */
  readonly window?: number;
  /** Features per frame (the CNN's 'features' width). */
  readonly features?: number;
  /** GRU gate activation; anything but RECURRENT_ACTIVATION breaks parity with the app's streaming GRU. */
  readonly recurrentActivation?: RecurrentActivation | 'hardSigmoid';
  /** Adds a softmax 'classes' head of this many classes beside 'va'. */
  readonly numClasses?: number;
  readonly vaActivation?: VaActivation;
  /** Units per recurrent layer, overriding the kind's paper sizes (same number of layers). */
  readonly units?: readonly number[];
}

export function buildRnn(options: RnnOptions): tf.LayersModel {
  const window = options.window ?? 100;
  const features = options.features ?? FEATURE_SIZE;
  const recurrentActivation = options.recurrentActivation ?? RECURRENT_ACTIVATION;
  const paperUnits = RNN_UNITS[options.kind];
  if (!paperUnits) throw new Error(`buildRnn: unknown kind "${String(options.kind)}" (expected simple, gru or gru3)`);
  const units = options.units ?? paperUnits;
  if (units.length !== paperUnits.length || !units.every((u) => Number.isInteger(u) && u > 0)) {
    throw new Error(`buildRnn: units for "${options.kind}" must be ${paperUnits.length} positive integers, got [${units.join(', ')}]`);
  }
  for (const [name, v] of [
    ['window', window],
    ['features', features],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`buildRnn: ${name} must be a positive integer, got ${v}`);
  }
  const input = tf.input({ shape: [window, features], name: 'feature_window' });
  let x: tf.SymbolicTensor = input;
  units.forEach((u, i) => {
    const returnSequences = i < units.length - 1;
    const name = `rnn${i + 1}`;
    const layer =
      options.kind === 'simple'
        ? tf.layers.simpleRNN({ units: u, returnSequences, name })
        : tf.layers.gru({ units: u, returnSequences, recurrentActivation, name });
    x = layer.apply(x) as tf.SymbolicTensor;
  });
  const outputs = [
    tf.layers.dense({ units: 2, activation: options.vaActivation ?? 'linear', name: VA_OUTPUT }).apply(x) as tf.SymbolicTensor,
  ];
  if (options.numClasses !== undefined) {
    if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
      throw new Error(`buildRnn: numClasses must be an integer >= 2, got ${options.numClasses}`);
    }
    outputs.push(tf.layers.dense({ units: options.numClasses, activation: 'softmax', name: CLASSES_OUTPUT }).apply(x) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: input, outputs, name: `rnn_${options.kind}` });
}

/** The CNN's 'va' Dense head (features -> valence, arousal), row-major [features, 2] kernel. */
export interface VaHeadWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

export interface HeadInitOptions {
  /** Share of the previous state each va unit keeps per frame (an exponential moving average's factor). */
  readonly retention?: number;
  /** The va units hold tanh(va / scale); the output head multiplies by scale (keeps tanh near-linear on -1..1). */
  readonly scale?: number;
}

/** Default EMA factor of the head initialisation: time constant ~3 frames, frame-to-frame noise x ~0.23. */
export const HEAD_INIT_RETENTION = 0.7;
export const HEAD_INIT_SCALE = 2;

/**
 * Starts a recurrent model as a smoothed copy of the CNN's own valence/arousal head instead of from random
 * weights: units 0 and 1 of the first layer become an exponential moving average of tanh(CNN va / scale),
 *   GRU:        z = retention (bias logit), ĥ = tanh(x Wva / s + bva / s), no recurrent term on those units,
 *   SimpleRNN:  h = tanh(retention h + (1 - retention) (x Wva + bva) / s)  (a leaky integrator),
 * later layers (gru3) pass units 0 and 1 through with a light extra smoothing, and the 'va' head reads
 * s x units 0 and 1 (every other unit starts at weight 0 in the head). The remaining units keep their random
 * initialisation and are free for training to use. Before any training the model's output is the CNN's
 * valence/arousal, smoothed: training then only has to learn what the temporal context adds.
 */
export function initFromVaHead(model: tf.LayersModel, kind: RnnKind, head: VaHeadWeights, options: HeadInitOptions = {}): void {
  const retention = options.retention ?? HEAD_INIT_RETENTION;
  const s = options.scale ?? HEAD_INIT_SCALE;
  if (!(retention > 0 && retention < 1)) throw new Error(`initFromVaHead: retention must be in (0, 1), got ${retention}`);
  if (!(s > 0)) throw new Error(`initFromVaHead: scale must be positive, got ${s}`);
  const layers = RNN_UNITS[kind].map((_, i) => model.getLayer(`rnn${i + 1}`));
  const first = layers[0];
  if (!first) throw new Error(`initFromVaHead: model has no rnn1 layer`);
  const inputSize = first.getWeights()[0]?.shape[0] ?? 0;
  if (head.kernel.length !== inputSize * 2 || head.bias.length !== 2) {
    throw new Error(
      `initFromVaHead: the CNN's va head is [${head.kernel.length / 2} x 2] + ${head.bias.length}, the recurrent model reads ${inputSize} features`,
    );
  }
  const logit = (p: number): number => Math.log(p / (1 - p));
  layers.forEach((layer, li) => {
    const [k, rk, b] = layer.getWeights();
    if (!k || !rk || !b) throw new Error(`initFromVaHead: ${layer.name} has no kernel/recurrent kernel/bias`);
    const kernel = k.dataSync().slice();
    const recurrent = rk.dataSync().slice();
    const bias = b.dataSync().slice();
    const [rows, cols] = k.shape as [number, number];
    const units = rk.shape[0] ?? 0;
    if (units < 2) throw new Error(`initFromVaHead: ${layer.name} needs at least 2 units`);
    // Column index of unit j in gate g (GRU: z = 0, r = 1, h = 2; SimpleRNN has one block).
    const col = (g: number, j: number): number => (kind === 'simple' ? j : g * units + j);
    const gates = kind === 'simple' ? [0] : [0, 1, 2];
    for (const j of [0, 1]) {
      for (const g of gates) {
        for (let i = 0; i < rows; i++) kernel[i * cols + col(g, j)] = 0;
        for (let i = 0; i < units; i++) recurrent[i * cols + col(g, j)] = 0;
      }
      // What the other units read from units 0 and 1 is left random.
      if (kind === 'simple') {
        for (let i = 0; i < rows; i++) kernel[i * cols + j] = li === 0 ? ((1 - retention) * (head.kernel[i * 2 + j] ?? 0)) / s : 0;
        recurrent[j * cols + j] = retention;
        bias[j] = li === 0 ? ((1 - retention) * (head.bias[j] ?? 0)) / s : 0;
      } else {
        const keep = li === 0 ? retention : 0.3;
        bias[col(0, j)] = logit(keep);
        bias[col(1, j)] = 3;
        if (li === 0) {
          for (let i = 0; i < rows; i++) kernel[i * cols + col(2, j)] = (head.kernel[i * 2 + j] ?? 0) / s;
          bias[col(2, j)] = (head.bias[j] ?? 0) / s;
        } else {
          // Pass the previous layer's units 0 and 1 through: tanh is close to identity on their small range.
          kernel[j * cols + col(2, j)] = 1;
          bias[col(2, j)] = 0;
        }
      }
    }
    const next = [tf.tensor(kernel, k.shape), tf.tensor(recurrent, rk.shape), tf.tensor(bias, b.shape)];
    layer.setWeights(next);
    tf.dispose(next);
  });
  const va = model.getLayer(VA_OUTPUT);
  const [hk, hb] = va.getWeights();
  if (!hk || !hb) throw new Error(`initFromVaHead: the 'va' head has no weights`);
  const headKernel = new Float32Array(hk.size);
  headKernel[0 * 2 + 0] = s;
  headKernel[1 * 2 + 1] = s;
  const next = [tf.tensor(headKernel, hk.shape), tf.zeros(hb.shape)];
  va.setWeights(next);
  tf.dispose(next);
}
