import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTfliteGraph } from './tflite-graph.ts';

const MODEL = path.join(import.meta.dirname, '../../public/models/face_detector.tflite');

describe('readTfliteGraph', () => {
  const graph = readTfliteGraph(new Uint8Array(readFileSync(MODEL)), 'face_detector.tflite');

  it("reads the face detector's graph: one 128x128 RGB input, boxes and scores out", () => {
    expect(graph.tensors[graph.inputs[0] ?? -1]?.shape).toEqual([1, 128, 128, 3]);
    expect(graph.outputs.map((i) => graph.tensors[i]?.shape)).toEqual([
      [1, 896, 16],
      [1, 896, 1],
    ]);
  });

  it('reads float16 weights widened to float32, and the options of every convolution', () => {
    const convs = graph.operators.filter((o) => o.op === 'CONV_2D' || o.op === 'DEPTHWISE_CONV_2D');
    expect(convs.length).toBeGreaterThan(20);
    expect(convs.every((o) => o.conv !== undefined)).toBe(true);
    expect(graph.operators[2]?.conv).toEqual({ padding: 'same', strides: [2, 2], activation: 'none' });
    const filter = graph.tensors.find((t) => t.type === 'float16' && t.data);
    expect(filter?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(filter?.data ?? []).every(Number.isFinite)).toBe(true);
  });

  it('names the file when it is not a TFLite model', () => {
    expect(() => readTfliteGraph(new Uint8Array(64), 'x.tflite')).toThrow(/x\.tflite: not a TFLite model/);
    expect(() => readTfliteGraph(new Uint8Array(3), 'x.tflite')).toThrow(/too short/);
  });
});
