import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readTfliteGraph } from './tflite-graph.ts';
import { Float16ArrayStandIn } from './test-float16.ts';

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

describe('readTfliteGraph with a platform Float16Array', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('widens float16 weights through it to the same values as its own decoder, reading each tensor at its offset', () => {
    const bytes = new Uint8Array(readFileSync(MODEL));
    const plain = readTfliteGraph(bytes, 'face_detector.tflite');
    const views: number[] = [];
    // Counts the tensors widened through the platform's Float16Array.
    function CountingFloat16Array(buffer: ArrayBuffer, byteOffset: number, length: number): number[] {
      views.push(length);
      return Float16ArrayStandIn(buffer, byteOffset, length);
    }
    vi.stubGlobal('Float16Array', CountingFloat16Array);
    const platform = readTfliteGraph(bytes, 'face_detector.tflite');
    const halves = plain.tensors.filter((t) => t.type === 'float16' && t.data);
    expect(views).toHaveLength(halves.length);
    expect(halves.length).toBeGreaterThan(20);
    platform.tensors.forEach((t, i) => expect(t.data).toEqual(plain.tensors[i]?.data));
  });
});
