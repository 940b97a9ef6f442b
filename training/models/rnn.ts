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
  for (const [name, v] of [['window', window], ['features', features]] as const) {
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
  const outputs = [tf.layers.dense({ units: 2, activation: options.vaActivation ?? 'linear', name: VA_OUTPUT }).apply(x) as tf.SymbolicTensor];
  if (options.numClasses !== undefined) {
    if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
      throw new Error(`buildRnn: numClasses must be an integer >= 2, got ${options.numClasses}`);
    }
    outputs.push(tf.layers.dense({ units: options.numClasses, activation: 'softmax', name: CLASSES_OUTPUT }).apply(x) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: input, outputs, name: `rnn_${options.kind}` });
}
