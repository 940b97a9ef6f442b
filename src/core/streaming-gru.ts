/**
 * The temporal model run frame by frame, in plain TypeScript (no tensors): shared by the app's worker and by
 * training's evaluation, so the live output is the one that was measured.
 *
 * The exported model is GRU layer(s) -> Dense 'va' on the last step of a 100-frame window, from a zero state
 * (training/models/rnn.ts). tfjs's GRU is Keras' `reset_after=False` form, gates ordered [z, r, h]:
 *   z = σ(x Wz + h Uz + bz),  r = σ(x Wr + h Ur + br),  ĥ = tanh(x Wh + (r ⊙ h) Uh + bh),  h' = z ⊙ h + (1 - z) ⊙ ĥ
 * with σ = RECURRENT_ACTIVATION ('sigmoid'). Stepping one state from zero over a window gives exactly the
 * layer's output on that window (streaming-gru.test.ts checks it against tfjs within 1e-5).
 *
 * Rolling windows. The model's answer at frame t is the GRU run from zero over frames t-99..t; re-running
 * 100 steps per frame is what a naive implementation does. Here K staggered states run side by side: state j
 * restarts from zero every `window` frames, offset by j * window / K, and the output is read from the state
 * that has run longest, which has seen between window - window/K + 1 and window frames (exactly `window`
 * when K = window: the exact rolling output at K recurrent steps per frame). The first layer's input
 * projection x W + b, the largest product (300 x 3u), is computed once per frame and shared by all K states.
 *
 * Measured against the exact rolling window with `npm run gru:streaming-error` (scripts/streaming-gru-error.ts):
 * the expression CNN's features of the 684 frames of the CK+ video, the shipped temporal-gru (2026-12-01.2):
 * K = 1 max |error| 0.49 (mean 5e-3, right after each restart); K = 2..50 max |error| <= 1.2e-7 (float
 * rounding: the GRU has forgotten everything older than 51 frames); K = 100 exact. Cost per frame in Node on
 * this machine: K = 5 0.44 ms, K = 100 5.2 ms, re-running the window 22.7 ms.
 */

/** One GRU layer's weights as tfjs stores them (row-major). */
export interface GruLayerWeights {
  readonly inputSize: number;
  readonly units: number;
  /** [inputSize, 3 * units], columns z | r | h. */
  readonly kernel: Float32Array;
  /** [units, 3 * units], columns z | r | h. */
  readonly recurrentKernel: Float32Array;
  /** [3 * units]. */
  readonly bias: Float32Array;
}

/** The Dense head on the last GRU layer's state. */
export interface DenseWeights {
  readonly inputSize: number;
  readonly outputs: number;
  /** [inputSize, outputs], row-major. */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

export interface GruStackWeights {
  readonly layers: readonly GruLayerWeights[];
  readonly head: DenseWeights;
}

/**
 * Default number of staggered states in the app: per frame one 300 x 300 input projection plus 5 recurrent
 * steps (about 0.24 M multiply-adds for GRU(100), against 12 M for re-running the window), and the output
 * covers the last 81..100 frames (error figures above).
 */
export const STREAMING_STATES = 5;

/** Checks the shapes of a weight set; every error names the layer and the array. */
export function validateGruStack(stack: GruStackWeights): void {
  if (stack.layers.length === 0) throw new Error('streaming GRU: the model has no GRU layer');
  let expectedInput = stack.layers[0]?.inputSize ?? 0;
  stack.layers.forEach((l, i) => {
    const where = `streaming GRU layer ${i + 1}`;
    if (l.inputSize !== expectedInput)
      throw new Error(`${where}: input size ${l.inputSize}, expected ${expectedInput} (previous layer's units)`);
    const g = 3 * l.units;
    if (l.kernel.length !== l.inputSize * g)
      throw new Error(`${where}: kernel has ${l.kernel.length} values, expected ${l.inputSize}x${g}`);
    if (l.recurrentKernel.length !== l.units * g)
      throw new Error(`${where}: recurrent kernel has ${l.recurrentKernel.length} values, expected ${l.units}x${g}`);
    if (l.bias.length !== g)
      throw new Error(`${where}: bias has ${l.bias.length} values, expected ${g} (reset_after=False has one bias of 3 x units)`);
    expectedInput = l.units;
  });
  const h = stack.head;
  if (h.inputSize !== expectedInput) throw new Error(`streaming GRU head: input size ${h.inputSize}, expected ${expectedInput}`);
  if (h.kernel.length !== h.inputSize * h.outputs)
    throw new Error(`streaming GRU head: kernel has ${h.kernel.length} values, expected ${h.inputSize}x${h.outputs}`);
  if (h.bias.length !== h.outputs) throw new Error(`streaming GRU head: bias has ${h.bias.length} values, expected ${h.outputs}`);
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** out[0..3u) = x W + b: the input half of every gate. */
export function projectInput(layer: GruLayerWeights, x: ArrayLike<number>, out: Float32Array): Float32Array {
  const g = 3 * layer.units;
  const { kernel, bias } = layer;
  // Hot loops index with `!`: every index is in range by the shapes checked in validateGruStack.
  for (let k = 0; k < g; k++) out[k] = bias[k]!;
  for (let i = 0; i < layer.inputSize; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * g;
    for (let k = 0; k < g; k++) out[k] = out[k]! + xi * kernel[row + k]!;
  }
  return out;
}

/** Scratch space for one step of one layer (reused: no allocation per frame). */
interface StepScratch {
  readonly hu: Float32Array;
  readonly rh: Float32Array;
  readonly uh: Float32Array;
}

function makeScratch(units: number): StepScratch {
  return { hu: new Float32Array(2 * units), rh: new Float32Array(units), uh: new Float32Array(units) };
}

/** One GRU step in place on `h`, from the precomputed input projection `xp` (projectInput). */
function stepProjected(layer: GruLayerWeights, xp: Float32Array, h: Float32Array, s: StepScratch): void {
  const u = layer.units;
  const g = 3 * u;
  const U = layer.recurrentKernel;
  // h Uz and h Ur together (the first 2u columns).
  s.hu.fill(0);
  const { hu, rh, uh } = s;
  for (let i = 0; i < u; i++) {
    const hi = h[i]!;
    if (hi === 0) continue;
    const row = i * g;
    for (let k = 0; k < 2 * u; k++) hu[k] = hu[k]! + hi * U[row + k]!;
  }
  for (let i = 0; i < u; i++) rh[i] = sigmoid(xp[u + i]! + hu[u + i]!) * h[i]!;
  uh.fill(0);
  for (let i = 0; i < u; i++) {
    const ri = rh[i]!;
    if (ri === 0) continue;
    const row = i * g + 2 * u;
    for (let k = 0; k < u; k++) uh[k] = uh[k]! + ri * U[row + k]!;
  }
  for (let i = 0; i < u; i++) {
    const z = sigmoid(xp[i]! + hu[i]!);
    const hh = Math.tanh(xp[2 * u + i]! + uh[i]!);
    h[i] = z * h[i]! + (1 - z) * hh;
  }
}

/** The Dense head on a final state. */
export function applyHead(head: DenseWeights, h: ArrayLike<number>, out = new Float32Array(head.outputs)): Float32Array {
  for (let k = 0; k < head.outputs; k++) out[k] = head.bias[k] ?? 0;
  for (let i = 0; i < head.inputSize; i++) {
    const hi = h[i] ?? 0;
    const row = i * head.outputs;
    for (let k = 0; k < head.outputs; k++) out[k] = (out[k] ?? 0) + hi * (head.kernel[row + k] ?? 0);
  }
  return out;
}

/** One stack state: a hidden vector per layer, and how many frames it has seen since its restart. */
interface StackState {
  readonly h: Float32Array[];
  length: number;
}

function makeState(stack: GruStackWeights): StackState {
  return { h: stack.layers.map((l) => new Float32Array(l.units)), length: 0 };
}

function resetState(state: StackState): void {
  for (const h of state.h) h.fill(0);
  state.length = 0;
}

/** A reusable stepper over a stack: owns scratch buffers for every layer. */
function createStepper(stack: GruStackWeights) {
  const scratch = stack.layers.map((l) => makeScratch(l.units));
  const proj = stack.layers.map((l) => new Float32Array(3 * l.units));
  return {
    /** Steps `state` by one frame whose first-layer projection is `xp0`. */
    step(state: StackState, xp0: Float32Array): void {
      stack.layers.forEach((layer, i) => {
        const h = state.h[i]!;
        const xp = i === 0 ? xp0 : projectInput(layer, state.h[i - 1]!, proj[i]!);
        stepProjected(layer, xp, h, scratch[i]!);
      });
      state.length++;
    },
  };
}

/** The model's output on one window from a zero state: what tfjs's predict() gives for [1, frames, features]. */
export function runWindow(stack: GruStackWeights, frames: readonly ArrayLike<number>[]): Float32Array {
  validateGruStack(stack);
  const first = stack.layers[0]!;
  const stepper = createStepper(stack);
  const state = makeState(stack);
  const xp = new Float32Array(3 * first.units);
  for (const x of frames) stepper.step(state, projectInput(first, x, xp));
  return applyHead(stack.head, state.h[stack.layers.length - 1]!);
}

export interface StreamingGruOptions {
  /** Frames per window (the model's input length, 100). */
  readonly window: number;
  /** Staggered states K; must divide `window`. K = window is the exact rolling output. */
  readonly states: number;
}

export interface StreamingGru {
  /** Adds one frame's features; returns the output for the window ending at this frame. */
  push(features: ArrayLike<number>): Float32Array;
  /** Frames behind the current output (1..window). */
  readonly coverage: number;
  /** Frames pushed since the last reset. */
  readonly frames: number;
  /** Back to the state of no frames seen. */
  reset(): void;
}

export function createStreamingGru(stack: GruStackWeights, options: StreamingGruOptions): StreamingGru {
  validateGruStack(stack);
  const { window, states } = options;
  if (!Number.isInteger(window) || window < 1) throw new Error(`streaming GRU: window must be a positive integer, got ${window}`);
  if (!Number.isInteger(states) || states < 1 || states > window || window % states !== 0) {
    throw new Error(`streaming GRU: states must divide the window (${window}), got ${states}`);
  }
  const period = window / states;
  const first = stack.layers[0]!;
  const stepper = createStepper(stack);
  const pool = Array.from({ length: states }, () => makeState(stack));
  const xp = new Float32Array(3 * first.units);
  const out = new Float32Array(stack.head.outputs);
  let t = 0;
  let coverage = 0;

  return {
    push(features) {
      projectInput(first, features, xp);
      let oldest: StackState | undefined;
      pool.forEach((state, j) => {
        const start = j * period;
        if (t < start) return;
        if ((t - start) % window === 0) resetState(state);
        stepper.step(state, xp);
        if (!oldest || state.length > oldest.length) oldest = state;
      });
      t++;
      coverage = oldest!.length;
      return applyHead(stack.head, oldest!.h[stack.layers.length - 1]!, out);
    },
    get coverage() {
      return coverage;
    },
    get frames() {
      return t;
    },
    reset() {
      for (const s of pool) resetState(s);
      t = 0;
      coverage = 0;
    },
  };
}

export interface StreamingError {
  readonly states: number;
  /** Frames compared (those with a full window behind them). */
  readonly frames: number;
  readonly maxAbs: number;
  readonly meanAbs: number;
}

/** The exact rolling-window output at every frame that has a full window behind it (index t - window + 1). */
export function exactRollingOutputs(stack: GruStackWeights, sequence: readonly ArrayLike<number>[], window: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let t = window - 1; t < sequence.length; t++) out.push(runWindow(stack, sequence.slice(t + 1 - window, t + 1)));
  return out;
}

/**
 * Error of the K-state stream against the exact rolling window (re-run from zero over the last `window`
 * frames) on one feature sequence, over every frame that has a full window behind it. `exact` may be
 * passed in (exactRollingOutputs) when several K are compared on the same sequence.
 */
export function measureStreamingError(
  stack: GruStackWeights,
  sequence: readonly ArrayLike<number>[],
  window: number,
  states: number,
  exactOutputs: readonly Float32Array[] = exactRollingOutputs(stack, sequence, window),
): StreamingError {
  const stream = createStreamingGru(stack, { window, states });
  let maxAbs = 0;
  let sum = 0;
  let n = 0;
  sequence.forEach((x, t) => {
    const approx = stream.push(x);
    if (t + 1 < window) return;
    const exact = exactOutputs[t + 1 - window]!;
    for (let k = 0; k < exact.length; k++) {
      const d = Math.abs((approx[k] ?? 0) - (exact[k] ?? 0));
      maxAbs = Math.max(maxAbs, d);
      sum += d;
      n++;
    }
  });
  return { states, frames: Math.max(0, sequence.length - window + 1), maxAbs, meanAbs: n > 0 ? sum / n : 0 };
}
