/**
 * What the app asks of an expression CNN, whatever runs it (TF.js, expression-model.ts; TF.js's wasm kernels called
 * directly, expression-wasm-model.ts): its manifest entry checked and read once, and the answer for one face from the
 * model's outputs.
 */
import { expectedValenceArousal } from '../../core/emotions.ts';
import type { ValenceArousal } from '../../core/emotions.ts';
import { ModelFileError } from '../../core/model-file-error.ts';
import type { ModelEntry } from '../../core/manifest.ts';

export interface ExpressionOutput {
  /** The 300-d feature vector (the temporal model's input). */
  readonly features: Float32Array;
  /** Class probabilities in the manifest's label order (EMOTIONS). */
  readonly probs: Float32Array;
  /** The model's own valence/arousal head, or the circumplex expectation of `probs` when it has none. */
  readonly va: ValenceArousal;
}

export interface ExpressionModel {
  readonly entry: ModelEntry;
  /** `input` is size x size normalised gray values (preprocessFace's output). */
  predict(input: Float32Array): Promise<ExpressionOutput>;
  dispose(): void;
}

/** Where the answer is among the model's outputs, and the shape of one face. */
export interface ExpressionLayout {
  /** [height, width]: one face is height x width gray values. */
  readonly size: readonly [number, number];
  /** Each face and its mirror image, averaged (mirror-average.ts). */
  readonly mirrorAverage: boolean;
  readonly outputCount: number;
  readonly features: number;
  readonly classes: number;
  /** -1: no valence/arousal head. */
  readonly va: number;
}

/** The entry's layout; a ModelFileError names what the manifest gets wrong. */
export function expressionLayout(entry: ModelEntry): ExpressionLayout {
  const shape = entry.input.shape;
  if (shape.length !== 3 || shape[2] !== 1)
    throw new ModelFileError(
      'manifest.json',
      `gives ${entry.name} input shape [${shape.join(', ')}]; expected [size, size, 1]`,
      'input.shape',
    );
  const names = entry.outputs.map((o) => o.name);
  const layout = {
    size: [shape[0]!, shape[1]!] as const,
    mirrorAverage: entry.input.mirrorAverage === true,
    outputCount: names.length,
    features: names.indexOf('features'),
    classes: names.indexOf('classes'),
    va: names.indexOf('va'),
  };
  if (layout.features < 0 || layout.classes < 0)
    throw new ModelFileError(
      'manifest.json',
      `lists outputs [${names.join(', ')}] for ${entry.name}; features and classes are required`,
      'outputs',
    );
  return layout;
}

/** A ModelFileError unless the model has the outputs the manifest lists. */
export function checkOutputCount(entry: ModelEntry, layout: ExpressionLayout, outputs: number): void {
  if (outputs !== layout.outputCount)
    throw new ModelFileError(entry.entry, `has ${outputs} outputs, the manifest lists ${layout.outputCount}`);
}

/** The answer for one face from its outputs (one array per output, in the manifest's order). */
export function expressionOutput(layout: ExpressionLayout, outputs: readonly Float32Array[]): ExpressionOutput {
  const probs = outputs[layout.classes]!;
  const vaHead = layout.va >= 0 ? outputs[layout.va]! : undefined;
  const va = vaHead ? { valence: vaHead[0]!, arousal: vaHead[1]! } : expectedValenceArousal(probs);
  return { features: outputs[layout.features]!, probs, va };
}
