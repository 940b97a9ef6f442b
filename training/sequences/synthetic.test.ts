import { describe, expect, test } from 'vitest';
import { createRng } from '../util/rng.ts';
import { synthesizeClip } from './synthetic.ts';

const size = 16;
const dark = new Float32Array(size * size).fill(0.2);
const bright = new Float32Array(size * size).fill(0.8);

describe('synthesizeClip', () => {
  test('holds the first still, moves to the second, and the target follows the same curve', () => {
    const clip = synthesizeClip(dark, bright, [-0.5, 0.1], [0.9, 0.3], createRng(1), {
      size,
      length: 60,
      holdFrames: [20, 20],
      onsetFrames: [10, 10],
      noise: 0,
    });
    expect(clip.frames).toHaveLength(60);
    expect(clip.mix[0]).toBe(0);
    expect(clip.mix[19]).toBe(0);
    expect(clip.mix[30]).toBe(1);
    expect(clip.targets[0]).toBeCloseTo(-0.5, 6);
    expect(clip.targets[2 * 59]).toBeCloseTo(0.9, 6);
    // The mix never decreases and the targets are the same blend of the two endpoints.
    for (let t = 1; t < 60; t++) expect(clip.mix[t]!).toBeGreaterThanOrEqual(clip.mix[t - 1]!);
    const t = 25;
    const w = clip.mix[t]!;
    expect(clip.targets[2 * t]).toBeCloseTo((1 - w) * -0.5 + w * 0.9, 5);
    // Mean brightness tracks the cross-fade (uniform stills, so pose changes nothing but the lighting drift).
    const mean = (f: Float32Array): number => f.reduce((s, v) => s + v, 0) / f.length;
    expect(mean(clip.frames[0]!)).toBeLessThan(0.35);
    expect(mean(clip.frames[59]!)).toBeGreaterThan(0.55);
  });

  test('deterministic under a seed, different across seeds', () => {
    const x = synthesizeClip(dark, bright, [0, 0], [1, 0], createRng(7), { size, length: 10 });
    const y = synthesizeClip(dark, bright, [0, 0], [1, 0], createRng(7), { size, length: 10 });
    const z = synthesizeClip(dark, bright, [0, 0], [1, 0], createRng(8), { size, length: 10 });
    expect(Array.from(y.frames[5]!)).toEqual(Array.from(x.frames[5]!));
    expect(Array.from(z.frames[5]!)).not.toEqual(Array.from(x.frames[5]!));
  });

  test('rejects stills of the wrong size', () => {
    expect(() => synthesizeClip(new Float32Array(3), bright, [0, 0], [0, 0], createRng(1), { size })).toThrow(/16x16/);
  });
});
