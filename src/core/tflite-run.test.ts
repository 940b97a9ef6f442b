import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTfliteGraph } from './tflite-graph.ts';
import { createTfliteModel, fuseRelus } from './tflite-run.ts';

const graph = readTfliteGraph(new Uint8Array(readFileSync(path.join(import.meta.dirname, '../../public/models/face_detector.tflite'))));

describe('createTfliteModel (face detector graph, cpu backend)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('folds every RELU into the op before it', () => {
    const relus = graph.operators.filter((o) => o.op === 'RELU').length;
    const fused = fuseRelus(graph.operators, graph.outputs);
    expect(relus).toBeGreaterThan(10);
    expect(fused.filter((o) => o.op === 'RELU')).toHaveLength(0);
    expect(fused).toHaveLength(graph.operators.length - relus);
  });

  it('gives the same outputs fused and unfused, and leaks no tensor', () => {
    const input = tf.randomUniform([1, 128, 128, 3], -1, 1, 'float32', 7);
    const fused = createTfliteModel(graph);
    const plain = createTfliteModel(graph, { fuse: false });
    const before = tf.memory().numTensors;
    const [a, b] = [fused.run(input), plain.run(input)];
    expect(a.map((t) => t.shape)).toEqual([
      [1, 896, 16],
      [1, 896, 1],
    ]);
    a.forEach((t, i) => {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[i]!))).dataSync()[0]!);
      expect(diff).toBeLessThan(1e-4);
    });
    tf.dispose([...a, ...b]);
    expect(tf.memory().numTensors).toBe(before);
    fused.dispose();
    plain.dispose();
    input.dispose();
  });
});
