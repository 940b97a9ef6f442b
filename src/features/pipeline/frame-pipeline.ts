/**
 * One camera frame through the pipeline, in the stage order of stages/: detection, the largest face and its crop
 * (1-3) in the face worker, through the face stage (face-stage.ts); then the expression CNN with the personal
 * correction (4), the streaming GRU (5), smoothing (6) or, with no face, the face-lost policy (7), and the analysis
 * shown beside the readout (8) here.
 *
 * The face stage starts on a frame as soon as it arrives, so frame n+1 is detected while stages 4-8 run on frame n.
 * Stages 4-8 run in the order frames, resets and profile changes arrived, so the GRU's window sees the frames in
 * camera order and a reset or a profile change falls exactly between two frames. The pipeline owns the face stage
 * and the expression runtime it is given and disposes both.
 */
import type { CropSpec } from '../../core/preprocess.ts';
import type { StreamingGru } from '../../core/streaming-gru.ts';
import type { ExpressionRuntime } from '../inference/backend-activation.ts';
import type { ExpressionModel } from '../inference/expression-outputs.ts';
import type { FaceLostPolicy } from '../inference/face-lost.ts';
import type { CameraFrame } from './camera-frame.ts';
import type { FaceStageResult } from './face-protocol.ts';
import type { FaceStage } from './face-stage.ts';
import type { ActiveProfile, Analysis, FrameResult, FromWorker } from './protocol.ts';
import { readExpression } from './stages/4-expression.ts';
import { describeAnalysis } from './stages/8-analysis.ts';
import { createVaTracker } from './va-tracker.ts';
import type { TrackedValue, VaTracker } from './va-tracker.ts';

export interface FramePipelineConfig {
  /** Stages 1-3: the face worker's handle (startFaceStage), or anything answering the same way. */
  readonly faces: FaceStage;
  /** Stage 4's model on its backend (startExpressionRuntime); absent: detection only, no reading. */
  readonly expression?: ExpressionRuntime;
  /** The expression model's crop (entryCropSpec); frames are analysed only with one. */
  readonly cropSpec?: CropSpec;
  /** Stage 5's temporal model; absent: the readout follows the CNN's own valence/arousal. */
  readonly gru?: StreamingGru;
  /** The personal correction in use from the first frame on. */
  readonly profile?: ActiveProfile;
  /** Stage 7's policy; face-lost.ts has the default. */
  readonly faceLost?: FaceLostPolicy;
  /** Stage 6's time constant; smoothing.ts has the default. */
  readonly smoothingMs?: number;
}

export type ProbeResult = Omit<Extract<FromWorker, { type: 'probe-result' }>, 'type'>;

export interface FramePipeline {
  /**
   * Takes `frame` (closed on every path, the caller must not use it afterwards). Results resolve in the order
   * frames were given; undefined when the pipeline was disposed before the frame was through.
   */
  process(frame: CameraFrame, timestampMs: number): Promise<FrameResult | undefined>;
  /** The expression model and the profile in use now on a fixed crop, as a live frame would be read; not queued behind frames. */
  probe(input: Float32Array): Promise<ProbeResult>;
  /** The personal correction for every frame given after this call; undefined: the shipped model alone. */
  setProfile(profile: ActiveProfile | undefined): void;
  /** Forgets the temporal window and the smoothing, between the frames given before and after this call. */
  reset(): void;
  dispose(): void;
}

/** What stages 4-8 of one frame read. */
interface SecondStage {
  readonly model: ExpressionModel | undefined;
  readonly cropSpec: CropSpec | undefined;
  readonly tracker: VaTracker;
  readonly profile: () => ActiveProfile | undefined;
}

/** Stages 4-8 on what the face stage found in one frame; stage 7 alone when no face could be read. */
async function analyseFrame(
  found: FaceStageResult,
  timestampMs: number,
  stage: SecondStage,
): Promise<{ analysis: Analysis | undefined; value: TrackedValue; cnn: number; gru: number }> {
  const { model, cropSpec, tracker } = stage;
  const face = found.faces[found.tracked];
  if (!face || !model || !cropSpec || !found.input) return { analysis: undefined, value: tracker.noFace(timestampMs), cnn: 0, gru: 0 };
  const t0 = performance.now();
  const reading = await readExpression(model, found.input, stage.profile);
  const t1 = performance.now();
  const value = tracker.face(
    { features: reading.shipped.features, va: reading.shipped.va, vaCorrection: reading.vaCorrection },
    timestampMs,
  );
  const gru = performance.now() - t1;
  const analysis = describeAnalysis(reading, { face, width: found.width, height: found.height, input: found.input, spec: cropSpec });
  return { analysis, value, cnn: t1 - t0, gru };
}

/** GRU steps of the warm-up: without it, the GRU's first step on real features took 10-20 ms in a start. */
const GRU_WARM_UP_STEPS = 3;

/**
 * The second stage's code run once more before the first frame's own: the CNN on a blank face and the GRU on a few
 * non-zero inputs of the features' size, then the GRU back to no frames. It runs while the face worker works on that first frame, time
 * this worker otherwise waits, so the first frame's CNN and GRU run nearly at the steady speed. The worker's start
 * runs the CNN once already (it checks the backend with it), which leaves it far from its steady speed, and the GRU
 * not at all.
 */
async function warmUpSecondStage(
  model: ExpressionModel | undefined,
  gru: StreamingGru | undefined,
  cropSpec: CropSpec | undefined,
): Promise<void> {
  if (!model || !cropSpec) return;
  // The model's input: one size x size grey crop.
  const { features } = await model.predict(new Float32Array(cropSpec.size * cropSpec.size));
  if (!gru) return;
  // Any values but zeros (a blank face's features can be): zeros skip the GRU's products.
  const input = new Float32Array(features.length).fill(1);
  for (let i = 0; i < GRU_WARM_UP_STEPS; i++) gru.push(input);
  gru.reset();
}

export function createFramePipeline(config: FramePipelineConfig): FramePipeline {
  const { faces, expression, cropSpec } = config;
  const tracker = createVaTracker({ gru: config.gru, policy: config.faceLost, timeConstantMs: config.smoothingMs });
  let profile = config.profile;
  let disposed = false;
  /** Whether the first frame's warm-up (warmUpSecondStage) has run. */
  let warmedUp = false;
  /** The end of the in-order work (see the header). */
  let inOrder: Promise<unknown> = Promise.resolve();

  /** Runs `job` after everything given before it; the promise returned is the job's own. */
  function afterPrevious<T>(job: () => Promise<T> | T): Promise<T> {
    const done = inOrder.then(job);
    inOrder = done.catch(() => undefined);
    return done;
  }

  async function secondStage(found: FaceStageResult, timestampMs: number, arrived: number): Promise<FrameResult> {
    const model = await expression?.model();
    const { analysis, value, cnn, gru } = await analyseFrame(found, timestampMs, { model, cropSpec, tracker, profile: () => profile });
    const { faces: boxes, tracked, width, height, detectorMs, cropMs } = found;
    return {
      faces: boxes,
      tracked,
      width,
      height,
      detectorMs,
      timestampMs,
      analysis,
      va: value.va,
      temporal: value.temporal,
      coverage: value.coverage,
      phase: value.phase,
      timings: { detect: detectorMs, crop: cropMs, cnn, gru, total: performance.now() - arrived },
      numTensors: expression?.liveTensors() ?? 0,
    };
  }

  return {
    process(frame, timestampMs) {
      const arrived = performance.now();
      // The face worker starts on this frame now, even while stages 4-8 are still on the one before.
      const found = faces.detect(frame, timestampMs);
      found.catch(() => undefined);
      return afterPrevious(async () => {
        try {
          if (!warmedUp) {
            warmedUp = true;
            await warmUpSecondStage(await expression?.model(), config.gru, cropSpec);
          }
          const first = await found;
          return disposed ? undefined : await secondStage(first, timestampMs, arrived);
        } catch (e) {
          if (disposed) return undefined;
          throw e;
        }
      });
    },
    async probe(input) {
      const model = await expression?.model();
      if (!model || !expression) throw new Error('no expression model is loaded');
      const { output, profile: used } = await readExpression(model, input, () => profile);
      return {
        va: output.va,
        probs: Array.from(output.probs),
        backend: expression.backend.backend,
        ...(used ? { profile: used.key } : {}),
      };
    },
    setProfile(next) {
      void afterPrevious(() => {
        profile = next;
      });
    },
    reset() {
      void afterPrevious(() => tracker.reset());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      faces.dispose();
      expression?.dispose();
    },
  };
}
