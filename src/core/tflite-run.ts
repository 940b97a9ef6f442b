/**
 * Runs a float TFLite graph (tflite-graph.ts) with TF.js ops on whatever backend is active: the constants become
 * tensors once (DEQUANTIZE of a constant folded away, filters in TF.js's layout), then each call runs the operators
 * in file order inside one tidy. Training's face detector runs on it, and the app's direct wasm runner
 * (tflite-wasm-run.ts) is held to it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, TfliteGraph, TfliteOperator } from './tflite-graph.ts';
import { constantData, freedAfter, operatorsToRun } from './tflite-plan.ts';

export interface TfliteModel {
  /** Output tensors in the graph's output order; the caller disposes them. */
  run(input: tf.Tensor): tf.Tensor[];
  /** The graph's input shape, e.g. [1, 128, 128, 3]. */
  readonly inputShape: readonly number[];
  dispose(): void;
}

type Fused = 'linear' | 'relu' | 'relu6';
const FUSED: Record<Activation, Fused> = { none: 'linear', relu: 'relu', relu6: 'relu6' };

function activate(x: tf.Tensor, activation: Activation | undefined): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'relu6') return tf.relu6(x);
  return x;
}

/** Constants as TF.js tensors: conv filters OHWI -> HWIO, depthwise [1, H, W, C] -> [H, W, C, 1]. */
function prepareConstants(graph: TfliteGraph): Map<number, tf.Tensor> {
  const constants = new Map<number, tf.Tensor>();
  const role = new Map<number, 'conv' | 'depthwise'>();
  for (const o of graph.operators) {
    const filter = o.op === 'CONV_2D' ? 'conv' : o.op === 'DEPTHWISE_CONV_2D' ? 'depthwise' : undefined;
    if (filter && o.inputs[1] !== undefined) role.set(o.inputs[1], filter);
  }
  for (const [index, data] of constantData(graph)) {
    const shape = [...(graph.tensors[index]?.shape ?? [])];
    const tensor = tf.tensor(data, shape, data instanceof Int32Array ? 'int32' : 'float32');
    const kind = role.get(index);
    if (kind === 'conv') {
      constants.set(index, tf.transpose(tensor, [1, 2, 3, 0]));
      tensor.dispose();
    } else if (kind === 'depthwise') {
      constants.set(index, tf.reshape(tensor, [shape[1] ?? 1, shape[2] ?? 1, shape[3] ?? 1, 1]));
      tensor.dispose();
    } else {
      constants.set(index, tensor);
    }
  }
  return constants;
}

function runOperator(o: TfliteOperator, graph: TfliteGraph, get: (index: number) => tf.Tensor): tf.Tensor {
  const x = get(o.inputs[0] ?? -1);
  switch (o.op) {
    case 'CONV_2D':
    case 'DEPTHWISE_CONV_2D': {
      const conv = o.conv;
      if (!conv) throw new Error(`${o.op} without options`);
      const args = {
        x: x as tf.Tensor4D,
        filter: get(o.inputs[1] ?? -1) as tf.Tensor4D,
        strides: conv.strides as [number, number],
        pad: conv.padding,
        activation: FUSED[conv.activation],
        ...(o.inputs[2] !== undefined && o.inputs[2] >= 0 ? { bias: get(o.inputs[2]) } : {}),
      };
      return o.op === 'CONV_2D' ? tf.fused.conv2d(args) : tf.fused.depthwiseConv2d(args);
    }
    case 'MAX_POOL_2D': {
      const pool = o.pool;
      if (!pool) throw new Error('MAX_POOL_2D without options');
      return activate(
        tf.maxPool(x as tf.Tensor4D, pool.filter as [number, number], pool.strides as [number, number], pool.padding),
        pool.activation,
      );
    }
    case 'ADD':
      return activate(tf.add(x, get(o.inputs[1] ?? -1)), o.activation);
    case 'RELU':
      return tf.relu(x);
    case 'LOGISTIC':
      return tf.sigmoid(x);
    case 'PAD': {
      const values = graph.tensors[o.inputs[1] ?? -1]?.data;
      if (!values) throw new Error('PAD with paddings that are not a constant');
      return tf.pad(
        x,
        Array.from({ length: values.length / 2 }, (_, i): [number, number] => [values[2 * i] ?? 0, values[2 * i + 1] ?? 0]),
      );
    }
    case 'RESHAPE':
      return tf.reshape(x, [...(graph.tensors[o.outputs[0] ?? -1]?.shape ?? [])]);
    case 'CONCATENATION':
      return activate(
        tf.concat(
          o.inputs.map((i) => get(i)),
          o.axis,
        ),
        o.activation,
      );
    case 'DEQUANTIZE':
      return x;
  }
}

/** Builds the runnable model; throws if an operator reads a tensor nothing produced. */
export function createTfliteModel(graph: TfliteGraph, options: { readonly fuse?: boolean } = {}): TfliteModel {
  const constants = prepareConstants(graph);
  const [inputIndex] = graph.inputs;
  const inputShape = graph.tensors[inputIndex ?? -1]?.shape;
  if (inputIndex === undefined || !inputShape) {
    tf.dispose([...constants.values()]);
    throw new Error('the model has no input tensor');
  }
  const operators = operatorsToRun(graph, constants, options.fuse !== false);
  const freed = freedAfter(operators, [inputIndex, ...graph.outputs, ...constants.keys()]);
  return {
    inputShape,
    run(input) {
      return tf.tidy(() => {
        const values = new Map<number, tf.Tensor>([[inputIndex, input]]);
        const get = (index: number): tf.Tensor => {
          const t = values.get(index) ?? constants.get(index);
          if (!t) throw new Error(`tensor "${graph.tensors[index]?.name ?? index}" is read before it is computed`);
          return t;
        };
        operators.forEach((o, i) => {
          values.set(o.outputs[0] ?? -1, runOperator(o, graph, get));
          for (const index of freed[i] ?? []) {
            values.get(index)?.dispose();
            values.delete(index);
          }
        });
        return graph.outputs.map((i) => get(i));
      });
    },
    dispose() {
      tf.dispose([...constants.values()]);
      constants.clear();
    },
  };
}
