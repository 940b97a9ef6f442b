import { describe, expect, it } from 'vitest';
import { cpuBetween, parseTaskStat } from './thread-cpu.ts';

describe('parseTaskStat', () => {
  it("reads a thread's name and its user + system time, a name with spaces and parentheses included", () => {
    const line = '4242 (DedicatedWorker thread) S 1 2 3 0 -1 4194560 10 0 0 0 37 5 0 0 20 0 9 0 100 0 0';
    expect(parseTaskStat(line)).toEqual({ thread: 'DedicatedWorker thread', cpuMs: 420 });
    expect(parseTaskStat('7 (a (b) c2) R 1 2 3 0 -1 0 0 0 0 0 3 4 0')?.thread).toBe('a (b) c');
    expect(parseTaskStat('not a stat line')).toBeUndefined();
  });
});

describe('cpuBetween', () => {
  it('sums the time each kind of thread used between two snapshots, threads born in between included', () => {
    const before = new Map([
      ['1/1 renderer:chromium', 100],
      ['1/2 renderer:DedicatedWorker thread', 0],
    ]);
    const after = new Map([
      ['1/1 renderer:chromium', 180],
      ['1/2 renderer:DedicatedWorker thread', 50],
      ['1/3 renderer:DedicatedWorker thread', 30],
      ['2/9 gpu-process:VizCompositorTh', 0],
    ]);
    expect(cpuBetween(before, after)).toEqual([
      ['renderer:chromium', 80],
      ['renderer:DedicatedWorker thread', 80],
    ]);
  });
});
