/**
 * Writes and reads TFLite model metadata (tflite-support's metadata_schema.fbs, file identifier "M001")
 * with the plain `flatbuffers` runtime: no generated code, only the handful of fields MediaPipe's
 * ModelMetadataExtractor reads for an image input (NormalizationOptions, ImageProperties).
 *
 * Field ids below are the declaration order in tensorflow/lite/schema/schema.fbs (Model, Buffer,
 * Metadata) and tensorflow_lite_support/metadata/metadata_schema.fbs (ModelMetadata and children);
 * a union field takes two ids: its type byte, then its value.
 */
import { Builder, ByteBuffer } from 'flatbuffers';
import { field, float32Vector, refField, stringField, tableVector } from '../src/core/flatbuffer-fields.ts';

export const TFLITE_IDENTIFIER = 'TFL3';
export const METADATA_IDENTIFIER = 'M001';
/** The name MediaPipe and tflite-support look up in Model.metadata. */
export const METADATA_NAME = 'TFLITE_METADATA';
/** Everything written here (ImageProperties, NormalizationOptions) exists since metadata schema 1.0.0. */
const MIN_PARSER_VERSION = '1.0.0';

const MODEL = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
const MODEL_FIELDS = 8;
const BUFFER = { data: 0 } as const;
const METADATA = { name: 0, buffer: 1 } as const;
const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3, author: 4, license: 5, minParserVersion: 7 } as const;
const SUBGRAPH_METADATA = { name: 0, inputTensorMetadata: 2 } as const;
const TENSOR_METADATA = { name: 0, description: 1, content: 3, processUnits: 4 } as const;
const CONTENT = { propertiesType: 0, properties: 1 } as const;
const IMAGE_PROPERTIES = { colorSpace: 0, defaultSize: 1 } as const;
const IMAGE_SIZE = { width: 0, height: 1 } as const;
const PROCESS_UNIT = { optionsType: 0, options: 1 } as const;
const NORMALIZATION = { mean: 0, std: 1 } as const;
/** union ContentProperties { FeatureProperties, ImageProperties, ... }: NONE = 0. */
const CONTENT_IMAGE_PROPERTIES = 2;
/** union ProcessUnitOptions { NormalizationOptions, ... }: NONE = 0. */
const PROCESS_UNIT_NORMALIZATION = 1;
const COLOR_SPACES = ['UNKNOWN', 'RGB', 'GRAYSCALE'] as const;
export type ColorSpace = (typeof COLOR_SPACES)[number];

/** What a model's single image input expects; the fields MediaPipe's image preprocessing reads. */
export interface ImageInputMetadata {
  readonly modelName: string;
  readonly modelDescription: string;
  readonly modelVersion: string;
  readonly author: string;
  readonly license: string;
  readonly inputName: string;
  readonly inputDescription: string;
  readonly colorSpace: ColorSpace;
  readonly width: number;
  readonly height: number;
  /** Per-channel (or one shared) values: input = (pixel - mean) / std. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Serialises a ModelMetadata flatbuffer ("M001") describing one subgraph with one image input. */
export function buildImageInputMetadata(meta: ImageInputMetadata): Uint8Array {
  const b = new Builder(1024);
  const floatVector = (values: readonly number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i] as number);
    return b.endVector();
  };
  const offsetVector = (offsets: readonly number[]): number => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i] as number);
    return b.endVector();
  };

  const mean = floatVector(meta.mean);
  const std = floatVector(meta.std);
  b.startObject(2);
  b.addFieldOffset(NORMALIZATION.mean, mean, 0);
  b.addFieldOffset(NORMALIZATION.std, std, 0);
  const normalization = b.endObject();

  b.startObject(2);
  b.addFieldInt8(PROCESS_UNIT.optionsType, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(PROCESS_UNIT.options, normalization, 0);
  const processUnit = b.endObject();

  b.startObject(2);
  b.addFieldInt32(IMAGE_SIZE.width, meta.width, 0);
  b.addFieldInt32(IMAGE_SIZE.height, meta.height, 0);
  const size = b.endObject();

  b.startObject(2);
  b.addFieldInt8(IMAGE_PROPERTIES.colorSpace, COLOR_SPACES.indexOf(meta.colorSpace), 0);
  b.addFieldOffset(IMAGE_PROPERTIES.defaultSize, size, 0);
  const imageProperties = b.endObject();

  b.startObject(3);
  b.addFieldInt8(CONTENT.propertiesType, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(CONTENT.properties, imageProperties, 0);
  const content = b.endObject();

  const inputName = b.createString(meta.inputName);
  const inputDescription = b.createString(meta.inputDescription);
  const processUnits = offsetVector([processUnit]);
  b.startObject(7);
  b.addFieldOffset(TENSOR_METADATA.name, inputName, 0);
  b.addFieldOffset(TENSOR_METADATA.description, inputDescription, 0);
  b.addFieldOffset(TENSOR_METADATA.content, content, 0);
  b.addFieldOffset(TENSOR_METADATA.processUnits, processUnits, 0);
  const input = b.endObject();

  const inputs = offsetVector([input]);
  b.startObject(7);
  b.addFieldOffset(SUBGRAPH_METADATA.inputTensorMetadata, inputs, 0);
  const subgraph = b.endObject();

  const name = b.createString(meta.modelName);
  const description = b.createString(meta.modelDescription);
  const version = b.createString(meta.modelVersion);
  const author = b.createString(meta.author);
  const license = b.createString(meta.license);
  const minParser = b.createString(MIN_PARSER_VERSION);
  const subgraphs = offsetVector([subgraph]);
  b.startObject(8);
  b.addFieldOffset(MODEL_METADATA.name, name, 0);
  b.addFieldOffset(MODEL_METADATA.description, description, 0);
  b.addFieldOffset(MODEL_METADATA.version, version, 0);
  b.addFieldOffset(MODEL_METADATA.subgraphMetadata, subgraphs, 0);
  b.addFieldOffset(MODEL_METADATA.author, author, 0);
  b.addFieldOffset(MODEL_METADATA.license, license, 0);
  b.addFieldOffset(MODEL_METADATA.minParserVersion, minParser, 0);
  const root = b.endObject();
  b.finish(root, METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

// ---- minimal flatbuffer reading -------------------------------------------------------------

function rootTable(bytes: Uint8Array, identifier: string, what: string): { bb: ByteBuffer; root: number } {
  if (bytes.byteLength < 8) throw new Error(`${what}: only ${bytes.byteLength} bytes, too short for a flatbuffer`);
  const bb = new ByteBuffer(bytes);
  if (!bb.__has_identifier(identifier)) {
    throw new Error(`${what}: file identifier is "${bb.getBufferIdentifier()}", expected "${identifier}"`);
  }
  const root = bb.readUint32(0);
  if (root >= bytes.byteLength) throw new Error(`${what}: root offset ${root} is past the end (${bytes.byteLength} bytes)`);
  return { bb, root };
}

export interface MetadataEntry {
  readonly name: string;
  readonly buffer: number;
}

/** The Model.metadata entries of a .tflite file (e.g. min_runtime_version, TFLITE_METADATA). */
export function readMetadataEntries(model: Uint8Array): MetadataEntry[] {
  const { bb, root } = rootTable(model, TFLITE_IDENTIFIER, 'tflite model');
  return tableVector(bb, root, MODEL.metadata).map((m) => {
    const at = field(bb, m, METADATA.buffer);
    return { name: stringField(bb, m, METADATA.name) ?? '', buffer: at === undefined ? 0 : bb.readUint32(at) };
  });
}

/** The data of every Model.buffers entry, in order (copies). */
export function readBuffers(model: Uint8Array): Uint8Array[] {
  const { bb, root } = rootTable(model, TFLITE_IDENTIFIER, 'tflite model');
  return tableVector(bb, root, MODEL.buffers).map((buf) => {
    const vec = refField(bb, buf, BUFFER.data);
    if (vec === undefined) return new Uint8Array(0);
    return model.slice(vec + 4, vec + 4 + bb.readUint32(vec));
  });
}

/** The ModelMetadata flatbuffer stored under TFLITE_METADATA, or undefined when there is none. */
export function readMetadataBuffer(model: Uint8Array): Uint8Array | undefined {
  const entry = readMetadataEntries(model).find((m) => m.name === METADATA_NAME);
  if (!entry) return undefined;
  const data = readBuffers(model)[entry.buffer];
  if (!data) throw new Error(`tflite model: ${METADATA_NAME} points to buffer ${entry.buffer}, which does not exist`);
  return data;
}

/** Reads back what buildImageInputMetadata wrote (first subgraph, first input). */
export function readImageInputMetadata(metadata: Uint8Array): ImageInputMetadata {
  const { bb, root } = rootTable(metadata, METADATA_IDENTIFIER, 'model metadata');
  const subgraph = tableVector(bb, root, MODEL_METADATA.subgraphMetadata)[0];
  if (subgraph === undefined) throw new Error('model metadata: no subgraph_metadata');
  const input = tableVector(bb, subgraph, SUBGRAPH_METADATA.inputTensorMetadata)[0];
  if (input === undefined) throw new Error('model metadata: subgraph 0 has no input_tensor_metadata');

  const normalization = tableVector(bb, input, TENSOR_METADATA.processUnits)
    .filter((u) => {
      const at = field(bb, u, PROCESS_UNIT.optionsType);
      return at !== undefined && bb.readUint8(at) === PROCESS_UNIT_NORMALIZATION;
    })
    .map((u) => refField(bb, u, PROCESS_UNIT.options))[0];
  if (normalization === undefined) throw new Error('model metadata: input 0 has no NormalizationOptions process unit');

  const content = refField(bb, input, TENSOR_METADATA.content);
  const typeAt = content === undefined ? undefined : field(bb, content, CONTENT.propertiesType);
  if (content === undefined || typeAt === undefined || bb.readUint8(typeAt) !== CONTENT_IMAGE_PROPERTIES) {
    throw new Error('model metadata: input 0 content is not ImageProperties');
  }
  const image = refField(bb, content, CONTENT.properties);
  if (image === undefined) throw new Error('model metadata: input 0 ImageProperties is empty');
  const colorAt = field(bb, image, IMAGE_PROPERTIES.colorSpace);
  const size = refField(bb, image, IMAGE_PROPERTIES.defaultSize);
  const sizeField = (id: number): number => {
    const at = size === undefined ? undefined : field(bb, size, id);
    return at === undefined ? 0 : bb.readUint32(at);
  };
  return {
    modelName: stringField(bb, root, MODEL_METADATA.name) ?? '',
    modelDescription: stringField(bb, root, MODEL_METADATA.description) ?? '',
    modelVersion: stringField(bb, root, MODEL_METADATA.version) ?? '',
    author: stringField(bb, root, MODEL_METADATA.author) ?? '',
    license: stringField(bb, root, MODEL_METADATA.license) ?? '',
    inputName: stringField(bb, input, TENSOR_METADATA.name) ?? '',
    inputDescription: stringField(bb, input, TENSOR_METADATA.description) ?? '',
    colorSpace: COLOR_SPACES[colorAt === undefined ? 0 : bb.readInt8(colorAt)] ?? 'UNKNOWN',
    width: sizeField(IMAGE_SIZE.width),
    height: sizeField(IMAGE_SIZE.height),
    mean: float32Vector(bb, normalization, NORMALIZATION.mean),
    std: float32Vector(bb, normalization, NORMALIZATION.std),
  };
}

// ---- attaching metadata to a model ----------------------------------------------------------

/**
 * Returns a new .tflite holding `metadata` in a new buffer, named TFLITE_METADATA in Model.metadata.
 *
 * Rather than re-serialising every table of the model (operators, options unions, tensors), the
 * original file is kept intact, 16-byte aligned, at the end of the new one, and a new root Model
 * table is written in front of it. Flatbuffer offsets only point forward, so the new table can reuse
 * the original operator codes, subgraphs, description, buffers and metadata entries as they are;
 * only the buffers and metadata vectors are new (old entries + one each). The original root table
 * stays behind as unreferenced bytes. Deterministic: the same inputs give the same bytes.
 */
export function attachMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array {
  const { bb, root } = rootTable(model, TFLITE_IDENTIFIER, 'tflite model');
  rootTable(metadata, METADATA_IDENTIFIER, 'model metadata');
  if (readMetadataEntries(model).some((m) => m.name === METADATA_NAME)) {
    throw new Error(`tflite model: already has ${METADATA_NAME}; start from the model without metadata`);
  }
  const b = new Builder(model.byteLength + metadata.byteLength + 1024);
  // 16 = the force_align of Buffer.data, the largest alignment in the TFLite schema; keeping the
  // original bytes at a multiple of it keeps every original field aligned as it was.
  b.prep(16, model.byteLength);
  for (let i = model.byteLength - 1; i >= 0; i--) b.writeInt8(model[i] as number);
  const end = b.offset();
  /** Builder offsets count from the end of the buffer; `p` is a position in the original file. */
  const old = (p: number): number => end - p;

  const oldBuffers = tableVector(bb, root, MODEL.buffers);
  const oldMetadata = tableVector(bb, root, MODEL.metadata);

  b.startVector(1, metadata.byteLength, 16);
  for (let i = metadata.byteLength - 1; i >= 0; i--) b.addInt8(metadata[i] as number);
  const data = b.endVector();
  b.startObject(3);
  b.addFieldOffset(BUFFER.data, data, 0);
  const buffer = b.endObject();

  const name = b.createString(METADATA_NAME);
  b.startObject(2);
  b.addFieldOffset(METADATA.name, name, 0);
  b.addFieldInt32(METADATA.buffer, oldBuffers.length, 0);
  const entry = b.endObject();

  const vector = (offsets: readonly number[]): number => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i] as number);
    return b.endVector();
  };
  const buffers = vector([...oldBuffers.map(old), buffer]);
  const metadataVector = vector([...oldMetadata.map(old), entry]);

  b.startObject(MODEL_FIELDS);
  const versionAt = field(bb, root, MODEL.version);
  b.addFieldInt32(MODEL.version, versionAt === undefined ? 0 : bb.readUint32(versionAt), 0);
  for (const id of [MODEL.operatorCodes, MODEL.subgraphs, MODEL.description, MODEL.metadataBuffer, MODEL.signatureDefs]) {
    const target = refField(bb, root, id);
    if (target !== undefined) b.addFieldOffset(id, old(target), 0);
  }
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  b.addFieldOffset(MODEL.metadata, metadataVector, 0);
  const newRoot = b.endObject();
  b.finish(newRoot, TFLITE_IDENTIFIER);
  return b.asUint8Array().slice();
}
