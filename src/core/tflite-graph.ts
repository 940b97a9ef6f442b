/**
 * Reads the float graph of a .tflite file (tensorflow/lite/schema/schema.fbs) with the plain `flatbuffers` runtime:
 * tensors with their constant data, and operators with the options the face detector's graph uses. Only what
 * the face detector needs is understood; anything else is named in a clear error instead of being run wrongly.
 *
 * Field ids are the declaration order in schema.fbs; a union takes two ids (its type byte, then its value).
 */
import { ByteBuffer } from 'flatbuffers';
import { byteVector, int32Vector, refField, scalarField, stringField, tableVector } from './flatbuffer-fields.ts';
import { widenFloat16 } from './float16.ts';

const MODEL = { operatorCodes: 1, subgraphs: 2, buffers: 4 } as const;
const OPERATOR_CODE = { deprecatedBuiltinCode: 0, builtinCode: 3 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 } as const;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 } as const;
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, optionsType: 3, options: 4 } as const;
const BUFFER = { data: 0 } as const;

/** BuiltinOperator values of the ops this reader knows. */
const OPS = {
  0: 'ADD',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  14: 'LOGISTIC',
  17: 'MAX_POOL_2D',
  19: 'RELU',
  22: 'RESHAPE',
  34: 'PAD',
} as const;
export type TfliteOp = (typeof OPS)[keyof typeof OPS];

const TENSOR_TYPES = { 0: 'float32', 1: 'float16', 2: 'int32' } as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[keyof typeof TENSOR_TYPES];

export type Padding = 'same' | 'valid';
export type Activation = 'none' | 'relu' | 'relu6';
const ACTIVATIONS: Record<number, Activation> = { 0: 'none', 1: 'relu', 3: 'relu6' };

export interface TfliteTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: TfliteTensorType;
  /** The constant's values (float16 widened to float32); undefined for activations. */
  readonly data?: Float32Array | Int32Array;
}

export interface ConvOptions {
  readonly padding: Padding;
  readonly strides: readonly [number, number];
  readonly activation: Activation;
}

export interface PoolOptions extends ConvOptions {
  readonly filter: readonly [number, number];
}

export interface TfliteOperator {
  readonly op: TfliteOp;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** CONV_2D, DEPTHWISE_CONV_2D. */
  readonly conv?: ConvOptions;
  /** MAX_POOL_2D. */
  readonly pool?: PoolOptions;
  /** ADD, CONCATENATION. */
  readonly activation?: Activation;
  /** CONCATENATION. */
  readonly axis?: number;
}

export interface TfliteGraph {
  readonly tensors: readonly TfliteTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperator[];
}

/** Little-endian values of `raw` as float32 (float16 widened, float16.ts) or int32. */
function decodeData(raw: Uint8Array, type: TfliteTensorType): Float32Array | Int32Array {
  if (type === 'float16') return widenFloat16(raw);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = type === 'int32' ? new Int32Array(raw.byteLength / 4) : new Float32Array(raw.byteLength / 4);
  if (out instanceof Int32Array) for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
  else for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

function activationOf(code: number, where: string): Activation {
  const activation = ACTIVATIONS[code];
  if (!activation) throw new Error(`${where}: unsupported fused activation ${code}`);
  return activation;
}

function readOptions(bb: ByteBuffer, op: TfliteOp, options: number | undefined, where: string): Partial<TfliteOperator> {
  const i8 = (p: number) => bb.readInt8(p);
  const i32 = (p: number) => bb.readInt32(p);
  const get = (id: number, read: (p: number) => number, fallback: number) =>
    options === undefined ? fallback : scalarField(bb, options, id, read, fallback);
  const padding = (): Padding => (get(0, i8, 0) === 0 ? 'same' : 'valid');
  switch (op) {
    case 'CONV_2D':
      return { conv: { padding: padding(), strides: [get(2, i32, 1), get(1, i32, 1)], activation: activationOf(get(3, i8, 0), where) } };
    case 'DEPTHWISE_CONV_2D':
      if (get(3, i32, 1) !== 1) throw new Error(`${where}: depth multiplier ${get(3, i32, 1)} is not supported`);
      return { conv: { padding: padding(), strides: [get(2, i32, 1), get(1, i32, 1)], activation: activationOf(get(4, i8, 0), where) } };
    case 'MAX_POOL_2D':
      return {
        pool: {
          padding: padding(),
          strides: [get(2, i32, 1), get(1, i32, 1)],
          filter: [get(4, i32, 1), get(3, i32, 1)],
          activation: activationOf(get(5, i8, 0), where),
        },
      };
    case 'ADD':
      return { activation: activationOf(get(0, i8, 0), where) };
    case 'CONCATENATION':
      return { axis: get(0, i32, 0), activation: activationOf(get(1, i8, 0), where) };
    default:
      return {};
  }
}

/** Parses a .tflite file's first subgraph; throws a clear error for anything that is not a float graph of known ops. */
export function readTfliteGraph(file: Uint8Array, what = 'model'): TfliteGraph {
  if (file.byteLength < 8) throw new Error(`${what}: ${file.byteLength} bytes is too short for a TFLite model`);
  const bb = new ByteBuffer(file);
  if (!bb.__has_identifier('TFL3')) throw new Error(`${what}: not a TFLite model (file identifier "${bb.getBufferIdentifier()}")`);
  const model = bb.readUint32(0);
  const buffers = tableVector(bb, model, MODEL.buffers).map((b) => byteVector(bb, b, BUFFER.data));
  const opCodes = tableVector(bb, model, MODEL.operatorCodes).map((c) =>
    Math.max(
      scalarField(bb, c, OPERATOR_CODE.deprecatedBuiltinCode, (p) => bb.readInt8(p), 0),
      scalarField(bb, c, OPERATOR_CODE.builtinCode, (p) => bb.readInt32(p), 0),
    ),
  );
  const subgraph = tableVector(bb, model, MODEL.subgraphs)[0];
  if (subgraph === undefined) throw new Error(`${what}: the model has no subgraph`);
  const tensors = tableVector(bb, subgraph, SUBGRAPH.tensors).map((t, index): TfliteTensor => {
    const code = scalarField(bb, t, TENSOR.type, (p) => bb.readInt8(p), 0);
    const type = TENSOR_TYPES[code as keyof typeof TENSOR_TYPES];
    const name = stringField(bb, t, TENSOR.name) ?? `tensor ${index}`;
    if (!type) throw new Error(`${what}: tensor "${name}" has type ${code}; only float32, float16 and int32 are supported`);
    const raw = buffers[scalarField(bb, t, TENSOR.buffer, (p) => bb.readUint32(p), 0)];
    return { name, shape: int32Vector(bb, t, TENSOR.shape), type, ...(raw && raw.byteLength > 0 ? { data: decodeData(raw, type) } : {}) };
  });
  const operators = tableVector(bb, subgraph, SUBGRAPH.operators).map((o, index): TfliteOperator => {
    const code = opCodes[scalarField(bb, o, OPERATOR.opcodeIndex, (p) => bb.readUint32(p), 0)] ?? -1;
    const op = OPS[code as keyof typeof OPS];
    const where = `${what}: operator ${index}`;
    if (!op) throw new Error(`${where}: builtin operator ${code} is not supported`);
    return {
      op,
      inputs: int32Vector(bb, o, OPERATOR.inputs),
      outputs: int32Vector(bb, o, OPERATOR.outputs),
      ...readOptions(bb, op, refField(bb, o, OPERATOR.options), where),
    };
  });
  return { tensors, inputs: int32Vector(bb, subgraph, SUBGRAPH.inputs), outputs: int32Vector(bb, subgraph, SUBGRAPH.outputs), operators };
}
