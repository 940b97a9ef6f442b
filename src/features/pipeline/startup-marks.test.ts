import { describe, expect, it } from 'vitest';
import { markStartup, startupTimeline } from './startup-marks.ts';

/** A User Timing stand-in whose clock the test moves. */
function fakeTiming() {
  let now = 0;
  const marks: { name: string; startTime: number }[] = [];
  return {
    marks,
    advance: (ms: number) => (now += ms),
    mark: (name: string) => {
      const entry = { name, startTime: now, entryType: 'mark', duration: 0 };
      marks.push(entry);
      return entry as unknown as PerformanceMark;
    },
    getEntriesByName: (name: string) => marks.filter((m) => m.name === name) as unknown as PerformanceEntryList,
  };
}

describe('startup marks', () => {
  it('marks each step once, the first time it happens', () => {
    const timing = fakeTiming();
    timing.advance(120);
    markStartup('workers-created', timing);
    timing.advance(300);
    markStartup('pipeline-ready', timing);
    timing.advance(500);
    markStartup('workers-created', timing);
    expect(timing.marks.map((m) => [m.name, m.startTime])).toEqual([
      ['circumplex:workers-created', 120],
      ['circumplex:pipeline-ready', 420],
    ]);
  });

  it('reads the steps from the marks of a page and ignores the rest', () => {
    const timeline = startupTimeline([
      { name: 'something-else', startTime: 5 },
      { name: 'circumplex:camera-live', startTime: 410.5 },
      { name: 'circumplex:not-a-step', startTime: 7 },
      { name: 'circumplex:first-prediction', startTime: 780 },
      { name: 'circumplex:first-prediction', startTime: 900 },
    ]);
    expect(timeline).toEqual({ 'camera-live': 410.5, 'first-prediction': 780 });
  });

  it('uses the browser clock by default', () => {
    performance.clearMarks('circumplex:first-frame-sent');
    markStartup('first-frame-sent');
    markStartup('first-frame-sent');
    expect(performance.getEntriesByName('circumplex:first-frame-sent', 'mark')).toHaveLength(1);
    performance.clearMarks('circumplex:first-frame-sent');
  });
});
