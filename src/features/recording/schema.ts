/**
 * The recording format (README "Recording format"): one session of per-frame readings, markers and an
 * optional baseline. Versioned: a file with a newer `schemaVersion` is refused with a message rather than
 * half-read. Imports are validated with zod before anything in the app changes.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod's functional build, as src/core/manifest.ts uses: the page's entry already carries its core, so the UI's code
// adds only the few functions below. English messages; no `new Function` probing under the app's CSP.
z.config({ ...en(), jitless: true });

export const RECORDING_FORMAT = 'circumplex-recording';
export const RECORDING_SCHEMA_VERSION = 1;

const finite = () => z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
const nonNegative = () => finite().check(z.gte(0));
const nonEmpty = () => z.string().check(z.minLength(1));
const nullableNumber = z.nullable(finite());

export const qualityFlagSchema = z.enum(['dark', 'bright', 'small', 'uncertain']);

export const frameRowSchema = z.object({
  /** Milliseconds since the recording started (live: the frame's capture clock; file: the frame's media time). */
  t: nonNegative(),
  /** The readout (temporal model when loaded, smoothed); null without a reading. */
  valence: nullableNumber,
  arousal: nullableNumber,
  /** The expression CNN's own valence/arousal for this frame alone; null without an analysed face. */
  cnnValence: nullableNumber,
  cnnArousal: nullableNumber,
  /** Class probabilities in `labels` order; null without an analysed face. */
  probs: z.nullable(z.array(finite())),
  /** The analysed face in source pixels; null when none. */
  box: z.nullable(z.object({ x: finite(), y: finite(), width: finite(), height: finite() })),
  /** Faces detected in the frame. */
  faces: z.int().check(z.gte(0)),
  /** Why the reading is unreliable (face-quality.ts); empty when fine. */
  quality: z.array(qualityFlagSchema),
  /** A face was analysed and `quality` is empty. */
  reliable: z.boolean(),
  /** TF.js backend that ran the models; null with detection only. */
  backend: z.nullable(z.string()),
  /** `<profile id>:<parameter hash>` of the personal calibration that shaped the reading; absent: the shipped model. */
  profile: z.optional(nonEmpty()),
});

/** A personal calibration as a recording carries it: enough to reapply it (src/core/personal-head.ts). */
export const recordedProfileSchema = z.object({
  id: nonEmpty(),
  name: z.string(),
  hash: nonEmpty(),
  createdAt: z.string(),
  head: z.object({
    featureSize: z.int().check(z.positive()),
    classes: z.array(z.string()),
    centre: z.array(finite()),
    dW: z.array(finite()),
    db: z.array(finite()),
    dV: z.array(finite()),
    dc: z.array(finite()),
  }),
});

export const markerSchema = z.object({
  /** Milliseconds since the recording started, on the frames' clock. */
  t: nonNegative(),
  label: z.string(),
});

const spreadSchema = z.object({ mean: finite(), sd: nonNegative() });

export const baselineSchema = z.object({
  /** Length of the resting period, ms. */
  durationMs: nonNegative(),
  /** Frames with a reading in it. */
  frames: z.int().check(z.gte(1)),
  valence: spreadSchema,
  arousal: spreadSchema,
});

export const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('camera'), label: z.string() }),
  z.object({ kind: z.literal('file'), name: z.string() }),
]);

export const recordingMetaSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  schemaVersion: z.literal(RECORDING_SCHEMA_VERSION),
  id: nonEmpty(),
  name: z.string(),
  source: sourceSchema,
  /** Wall-clock start, ISO 8601 (frame times are offsets from it). */
  startedAt: z.iso.datetime({ offset: true }),
  /** Class order of `probs`. */
  labels: z.array(nonEmpty()).check(z.minLength(1)),
  baseline: z.nullable(baselineSchema),
  markers: z.array(markerSchema),
  /** The personal calibrations the frames' `profile` keys name. */
  profiles: z.optional(z.array(recordedProfileSchema)),
});

export const recordingSchema = z.extend(recordingMetaSchema, { frames: z.array(frameRowSchema) });

export type FrameRow = z.infer<typeof frameRowSchema>;
export type Marker = z.infer<typeof markerSchema>;
export type Baseline = z.infer<typeof baselineSchema>;
export type RecordingSource = z.infer<typeof sourceSchema>;
export type RecordingMeta = z.infer<typeof recordingMetaSchema>;
export type Recording = z.infer<typeof recordingSchema>;
export type RecordedProfile = z.infer<typeof recordedProfileSchema>;

/** An import that is not a recording this app can read; `file` names it. */
export class RecordingFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'RecordingFileError';
    this.file = file;
  }
}

function describeIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('; ');
}

/** Checks the format marker and version first (a clearer message for other files and newer versions), then the whole shape. */
export function validateRecording(value: unknown, file: string): Recording {
  const head = z.object({ format: z.string(), schemaVersion: z.number() }).safeParse(value);
  if (!head.success || head.data.format !== RECORDING_FORMAT)
    throw new RecordingFileError(file, 'not a Circumplex recording (no "format": "circumplex-recording")');
  if (head.data.schemaVersion !== RECORDING_SCHEMA_VERSION) {
    throw new RecordingFileError(
      file,
      `schemaVersion ${head.data.schemaVersion} is not supported (this app reads version ${RECORDING_SCHEMA_VERSION})`,
    );
  }
  const parsed = recordingSchema.safeParse(value);
  if (!parsed.success) throw new RecordingFileError(file, `invalid recording: ${describeIssues(parsed.error)}`);
  const r = parsed.data;
  r.frames.forEach((f, i) => {
    if (f.probs && f.probs.length !== r.labels.length)
      throw new RecordingFileError(file, `frames.${i}.probs: ${f.probs.length} values for ${r.labels.length} labels`);
    if (i > 0 && f.t <= r.frames[i - 1]!.t)
      throw new RecordingFileError(file, `frames.${i}.t: ${f.t} ms is not after the previous frame (${r.frames[i - 1]!.t} ms)`);
  });
  return r;
}
