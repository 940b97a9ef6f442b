import { describe, expect, test } from 'vitest';
import type { Measurement } from './measure.ts';
import { agreement, agreementTable, bytes, heapCell, latency, markdownTable, ratio, ratioTable, startCell } from './report.ts';

function measurement(pipeline: string, requested: string, total: number, fps: number, modelBytes: number): Measurement {
  return {
    pipeline,
    requested,
    backend: requested,
    error: undefined,
    coldUncachedMs: 1000,
    coldCachedMs: 500,
    coldUncachedSamplesMs: [1000],
    coldCachedSamplesMs: [520, 500, 480],
    stages: { total: { n: 100, p50: total, p95: total * 2, spread: 2 } },
    fps: { fps, spread: 1 },
    cameraFps: 30,
    faceShare: 1,
    modelBytes,
    pageBytes: modelBytes * 4,
    transferredBytes: modelBytes * 2,
    heapBytes: 1e7,
    heapParts: { page: 1e7 },
  };
}

describe('formatting', () => {
  test('cells', () => {
    expect(latency({ n: 10, p50: 12.34, p95: 40, spread: 1.25 })).toBe('12.3 / 40.0 ±1.3');
    expect(latency({ n: 0, p50: NaN, p95: NaN, spread: NaN })).toBe('–');
    expect(bytes(1_050_853)).toBe('1.05 MB');
    expect(bytes(532_988)).toBe('533 kB');
    expect(ratio(25, 50)).toBe('0.50x');
    expect(ratio(25, 0)).toBe('–');
    expect(heapCell({ heapBytes: 6.2e6, heapParts: { page: 6.2e6 } })).toBe('6.20 MB');
    expect(heapCell({ heapBytes: 18.7e6, heapParts: { page: 13.85e6, 'face-pipeline': 3.14e6, 'face-detection': 1.71e6 } })).toBe(
      '18.70 MB (page 13.85 MB, face-pipeline 3.14 MB, face-detection 1.71 MB)',
    );
    expect(startCell(600, [612, 561, 776, 600, 587])).toBe('600 ms (561-776, 5 starts)');
    expect(startCell(612.4, [612.4])).toBe('612 ms');
  });
  test('a table with a malformed row is an error', () => {
    expect(markdownTable(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/1 cells, the header 2/);
  });
});

describe('ratios and agreement', () => {
  const run1 = [
    measurement('circumplex', 'wasm', 25, 12, 1_000_000),
    measurement('human', 'wasm', 50, 16, 1_500_000),
    { ...measurement('face-api', 'webgpu', 0, 0, 0), error: 'no webgpu' },
  ];
  test('ours over each peer that ran on the same backend', () => {
    const table = ratioTable(run1);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('| wasm | human | 0.50x | 0.50x | 0.75x | 0.67x | 0.67x | 1.00x | 1.00x | 1.00x |');
  });
  test('runs agree when their difference is within the larger spread', () => {
    const run2 = [measurement('circumplex', 'wasm', 26.5, 12.5, 1_000_000), measurement('human', 'wasm', 60, 16, 1_500_000)];
    const rows = agreement([run1, run2]);
    expect(rows.map((r) => `${r.pipeline} ${r.metric} ${r.agree}`)).toEqual([
      'circumplex total p50 (ms) true',
      'circumplex fps true',
      'human total p50 (ms) false',
      'human fps true',
    ]);
    expect(agreementTable(rows)).toContain('| wasm | human | total p50 (ms) | 50.0 ±2.0 | 60.0 ±2.0 | no |');
  });
});
