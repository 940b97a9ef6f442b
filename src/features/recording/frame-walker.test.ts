import { describe, expect, it } from 'vitest';
import { walkFrames } from './frame-walker.ts';
import type { SeekableVideo } from './frame-walker.ts';

/** A media element's seek rule over known frame times: after a seek to t, the frame with the largest time <= t is shown. */
function fakeVideo(times: readonly number[], duration: number): SeekableVideo & { seeks: number; shown: number } {
  const video = {
    seeks: 0,
    shown: times[0]!,
    duration,
    seek(seconds: number) {
      video.seeks++;
      const t = Math.max(0, Math.min(seconds, duration));
      video.shown = times.filter((f) => f <= t + 1e-9).at(-1) ?? times[0]!;
      return Promise.resolve(video.shown);
    },
  };
  return video;
}

async function walk(times: readonly number[], duration: number) {
  const video = fakeVideo(times, duration);
  const visited: number[] = [];
  const shownAtVisit: number[] = [];
  const count = await walkFrames(video, (t) => {
    visited.push(t);
    shownAtVisit.push(video.shown);
    return Promise.resolve();
  });
  return { visited, shownAtVisit, count, seeks: video.seeks };
}

describe('walkFrames', () => {
  it('visits every frame of a constant-rate video once, in order, with about one seek per frame', async () => {
    const times = Array.from({ length: 300 }, (_, i) => i / 10);
    const { visited, shownAtVisit, count, seeks } = await walk(times, 30);
    expect(visited).toEqual(times);
    expect(shownAtVisit).toEqual(times);
    expect(count).toBe(300);
    expect(seeks).toBeLessThan(300 * 1.1);
  });

  it('finds frames of a variable-rate video that the interval so far would jump over', async () => {
    const times = [0, 0.1, 0.2, 0.5, 0.55, 0.6, 0.62, 0.9, 1.7, 1.71];
    const { visited, shownAtVisit } = await walk(times, 1.8);
    expect(visited).toEqual(times);
    expect(shownAtVisit).toEqual(times);
  });

  it('handles a single-frame video and a last frame right at the end', async () => {
    expect((await walk([0], 0.04)).visited).toEqual([0]);
    expect((await walk([0, 0.04, 0.08], 0.08)).visited).toEqual([0, 0.04, 0.08]);
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    const video = fakeVideo(
      Array.from({ length: 100 }, (_, i) => i / 30),
      100 / 30,
    );
    let n = 0;
    const run = walkFrames(
      video,
      () => {
        if (++n === 5) controller.abort();
        return Promise.resolve();
      },
      { signal: controller.signal },
    );
    await expect(run).rejects.toThrow(/cancel|abort/i);
    expect(n).toBe(5);
  });
});

describe('walkFrames on an element that ignores some seeks', () => {
  it('ends instead of looping when a seek back shows the same frame again', async () => {
    const times = Array.from({ length: 20 }, (_, i) => i / 10);
    const video = fakeVideo(times, 2);
    const honest = video.seek.bind(video);
    // Seeks just before a frame are not honoured (the element keeps showing the frame it had).
    video.seek = (s: number) =>
      Math.abs(s * 10 - Math.round(s * 10)) > 1e-9 && Math.abs(s * 10 - Math.round(s * 10)) < 1e-3
        ? Promise.resolve(video.shown)
        : honest(s);
    const visited: number[] = [];
    await walkFrames(video, (t) => {
      visited.push(t);
      return Promise.resolve();
    });
    expect(visited).toEqual(times);
  });
});

describe('walkFrames on a loaded browser', () => {
  it('still visits every frame when a seek now and then reports the frame shown before it', async () => {
    const times = [
      ...Array.from({ length: 100 }, (_, i) => i / 30),
      3.5,
      3.6,
      3.61,
      3.62,
      ...Array.from({ length: 100 }, (_, i) => 4 + i / 25),
    ];
    const video = fakeVideo(times, 8);
    const honest = video.seek.bind(video);
    let n = 0;
    video.seek = (s: number) => {
      const before = video.shown;
      // Every 7th seek (forward, back or final) reports the old frame; the seek itself still happens.
      return honest(s).then((t) => (++n % 7 === 0 ? before : t));
    };
    const visited: number[] = [];
    await walkFrames(video, (t) => {
      visited.push(t);
      return Promise.resolve();
    });
    expect(visited).toEqual(times);
  });
});
