/**
 * The model manifest (`public/models/manifest.json`): what every shipped model is, what it expects and
 * where it came from. Validated with a schema at load; every error names the file and the field.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { EMOTIONS } from './emotions.ts';
import { ModelFileError } from './model-file-error.ts';

// zod's functional build (zod/mini): the page's entry parses the manifest before anything else starts, and the full
// build's methods were most of that entry's code. English messages for the fields without one of their own. zod 4
// probes `new Function` to compile fast parsers; under the app's CSP (no 'unsafe-eval') that probe is reported as a
// violation even though zod catches it. Manifests are tiny: the interpreted parser is enough.
z.config({ ...en(), jitless: true });

export { entryCropSpec } from './entry-crop-spec.ts';
export { ModelFileError } from './model-file-error.ts';

export const MANIFEST_SCHEMA_VERSION = 1;

const nonEmpty = () => z.string().check(z.minLength(1));
const count = () => z.int().check(z.nonnegative());
const size = () => z.int().check(z.positive());
const sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256'));
const relativePath = nonEmpty().check(
  z.refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..') && !/^[a-z]+:/i.test(p),
    'must be a relative path inside public/models',
  ),
);

export const fileEntrySchema = z.object({
  /** Relative to public/models/. */
  path: relativePath,
  bytes: count(),
  sha256: sha256Hex,
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const normalisationSchema = z.object({ scale: z.number(), offset: z.number() });

export const inputSchema = z.object({
  /** Without the batch dimension, e.g. [48, 48, 1] or [100, 300]. */
  shape: z.array(size()).check(z.minLength(1)),
  channelOrder: z.enum(['gray', 'rgb', 'features']),
  normalisation: normalisationSchema,
  /** Face crop margin (fraction of the box's larger side added per side); image models only. */
  cropMargin: z.optional(z.number().check(z.nonnegative())),
  /** Crop centre offset from the box centre, fraction of the box's larger side, negative = up. */
  cropShiftY: z.optional(z.number()),
  /**
   * Crops turn with the face so that its eyes are level (CropSpec.levelEyes); image models only. Absent = false: the
   * crop stays upright, as models exported before the field were evaluated.
   */
  cropLevelEyes: z.optional(z.boolean()),
  /** With cropLevelEyes: the roll, in degrees, below which crops stay upright (CropSpec.levelDeadband). Absent = 0. */
  cropLevelDeadband: z.optional(z.number().check(z.nonnegative())),
  /** Outputs are the mean over the face and its mirror image (src/core/mirror-average.ts); image models only. */
  mirrorAverage: z.optional(z.boolean()),
});

export const outputSchema = z.object({
  name: nonEmpty(),
  /** Output width. */
  size: size(),
  /** What the numbers mean, in words (e.g. "softmax over labels", "valence, arousal in -1..1"). */
  meaning: nonEmpty(),
  labels: z.optional(z.array(nonEmpty())),
});

export const provenanceSchema = z.object({
  data: nonEmpty(),
  /** Path (inside public/models) of the resolved training config. */
  config: z.optional(relativePath),
  /** Path (inside public/models) of the metrics file. */
  metrics: z.optional(relativePath),
  command: z.optional(z.string()),
  trainedAt: z.optional(z.string()),
  licence: nonEmpty(),
});

export const modelEntrySchema = z
  .object({
    name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes')),
    version: nonEmpty(),
    task: z.enum(['face-detection', 'face-expression', 'temporal-va']),
    format: z.enum(['tfjs-layers', 'tfjs-graph', 'tflite']),
    /** The entry file (model.json or .tflite), relative to public/models/. */
    entry: relativePath,
    input: inputSchema,
    outputs: z.array(outputSchema).check(z.minLength(1)),
    files: z.array(fileEntrySchema).check(z.minLength(1)),
    quantization: z._default(z.enum(['float32', 'float16', 'uint8']), 'float32'),
    provenance: provenanceSchema,
  })
  .check(
    z.superRefine((m, ctx) => {
      if (!m.files.some((f) => f.path === m.entry)) {
        ctx.addIssue({ code: 'custom', path: ['files'], message: `must list the entry file ${m.entry}` });
      }
      if (m.task === 'face-expression') {
        // The crop the model was trained on is part of the model: the app crops live faces exactly so.
        if (m.input.cropMargin === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['input', 'cropMargin'],
            message: 'is missing: an image model must state the face crop it was trained on',
          });
        if (m.input.cropShiftY === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['input', 'cropShiftY'],
            message: 'is missing: an image model must state the face crop it was trained on',
          });
      }
      m.outputs.forEach((o, i) => {
        if (o.labels && o.labels.length !== o.size) {
          ctx.addIssue({ code: 'custom', path: ['outputs', i, 'labels'], message: `has ${o.labels.length} labels for size ${o.size}` });
        }
      });
    }),
  );
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  models: z.array(modelEntrySchema).check(z.minLength(1)),
});
export type Manifest = z.infer<typeof manifestSchema>;

function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

/** The manifest's file name in the models folder. */
export const MANIFEST_FILE = 'manifest.json';

/** Parses and validates manifest JSON text; `file` names it in errors. */
export function parseManifest(text: string, file = 'manifest.json'): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(file, `is not valid JSON (${(e as Error).message}); the file may be truncated`);
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue ? fieldPath(issue.path) : '(root)';
    throw new ModelFileError(file, issue?.message ?? 'is invalid', field);
  }
  const names = new Set<string>();
  for (const m of result.data.models) {
    if (names.has(m.name)) throw new ModelFileError(file, `names model "${m.name}" twice`, 'models');
    names.add(m.name);
  }
  return result.data;
}

/** Finds a model by task (first match) or throws naming the manifest. */
export function modelForTask(manifest: Manifest, task: ModelEntry['task'], file = 'manifest.json'): ModelEntry {
  const m = manifest.models.find((x) => x.task === task);
  if (!m) throw new ModelFileError(file, `has no model for task "${task}"`, 'models');
  return m;
}

export async function sha256HexOf(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Checks a downloaded file against its manifest entry: present, complete, unaltered. */
export async function verifyFile(entry: FileEntry, bytes: ArrayBuffer | Uint8Array | undefined): Promise<void> {
  if (bytes === undefined) throw new ModelFileError(entry.path, 'is missing');
  if (bytes.byteLength !== entry.bytes) {
    const how = bytes.byteLength < entry.bytes ? 'truncated' : 'larger than expected';
    throw new ModelFileError(entry.path, `is ${how}: ${bytes.byteLength} bytes, manifest says ${entry.bytes}`);
  }
  const hash = await sha256HexOf(bytes);
  if (hash !== entry.sha256)
    throw new ModelFileError(
      entry.path,
      `has the wrong checksum (sha256 ${hash.slice(0, 12)}..., manifest says ${entry.sha256.slice(0, 12)}...)`,
    );
}

/** The canonical class labels, for manifests written by training. */
export const CANONICAL_LABELS: readonly string[] = EMOTIONS;
