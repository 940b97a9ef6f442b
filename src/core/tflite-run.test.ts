import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTfliteGraph } from './tflite-graph.ts';
import type { TfliteOperator } from './tflite-graph.ts';
import { createTfliteModel } from './tflite-run.ts';
import { freedAfter, fuseRelus } from './tflite-plan.ts';

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

describe('freedAfter', () => {
  const op = (inputs: number[], outputs: number[]): TfliteOperator => ({ op: 'ADD', inputs, outputs });

  it('frees each intermediate right after its last reader, and never the input, outputs or constants', () => {
    // 0: input, 9: constant; 1 read by ops 1 and 3, 2 by op 2, 3 by op 3, 5 read by nothing; 4 is the output.
    const ops = [op([0, 9], [1]), op([1], [2]), op([2, 9], [3]), op([1, 3], [4]), op([0], [5])];
    expect(freedAfter(ops, [0, 4, 9])).toEqual([[], [], [2], [1, 3], [5]]);
  });

  it('frees every intermediate of the face detector once, after all its readers, keeping few alive at a time', () => {
    const ops = fuseRelus(graph.operators, graph.outputs);
    const constants = graph.tensors.flatMap((t, i) => (t.data ? [i] : []));
    const kept = new Set([...graph.inputs, ...graph.outputs, ...constants]);
    const freed = freedAfter(ops, kept);
    const made = ops.flatMap((o) => o.outputs).filter((i) => !kept.has(i));
    expect(freed.flat().sort((a, b) => a - b)).toEqual([...made].sort((a, b) => a - b));
    let alive = 0;
    let peak = 0;
    ops.forEach((o, i) => {
      for (const input of o.inputs) expect(freed.slice(0, i).flat()).not.toContain(input);
      alive += o.outputs.filter((t) => !kept.has(t)).length;
      peak = Math.max(peak, alive);
      alive -= freed[i]!.length;
    });
    expect(alive).toBe(0);
    // Without freeing, all 145 intermediates of the run would be alive at its end; with it, 7 at most (the two output
    // heads' branches wait for their concatenations).
    expect(made).toHaveLength(145);
    expect(peak).toBe(7);
  });
});
