/**
 * The error every model-file check throws (manifest, model.json, weights, detector): which file, which field, what is
 * wrong. Its own module, without the manifest's schema, so the workers can name a broken file without bundling zod.
 */
/** A problem with a model file: which file, which field, what is wrong. */
export class ModelFileError extends Error {
  readonly file: string;
  readonly field: string | undefined;
  constructor(file: string, problem: string, field?: string) {
    super(field ? `${file}: field "${field}" ${problem}` : `${file}: ${problem}`);
    this.name = 'ModelFileError';
    this.file = file;
    this.field = field;
  }
}
