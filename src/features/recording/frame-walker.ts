/**
 * Visits every frame of a seekable video exactly once, in order, without playing it (so analysis is not
 * bound to real time). A media element shows, after a seek to t, the frame with the largest timestamp <= t,
 * and the frame interval is not known in advance (nor constant in variable-frame-rate files), so:
 *
 * - the next seek target is the last frame's time plus the smallest interval seen so far (a small probe
 *   step, doubled while it lands on the same frame, until two frames have been seen);
 * - a landing whose interval is larger than that smallest interval may have jumped over frames, so the
 *   walker seeks just before it and, while that shows a frame newer than the last one visited, steps back
 *   again; the frames found that way are visited first.
 *
 * - a seek that reports the frame shown before it is checked with one more seek a hair further on (under
 *   load Chromium can report the old frame).
 *
 * For a constant-frame-rate file this is one seek per frame.
 */
export interface SeekableVideo {
  /** Seeks to `seconds` and resolves with the shown frame's own time (requestVideoFrameCallback's mediaTime). */
  seek(seconds: number): Promise<number>;
  readonly duration: number;
}

export interface FrameWalkOptions {
  /** First probe step, seconds (doubled while it finds no new frame). */
  readonly probeStep?: number;
  /** How far before a frame's time "just before it" is, seconds (below any real frame interval, above the clock's resolution). */
  readonly epsilon?: number;
  readonly signal?: AbortSignal;
}

/** Calls `visit(mediaTime)` for every frame, in order; `visit` runs while that frame is the one shown. */
export async function walkFrames(
  video: SeekableVideo,
  visit: (mediaTime: number) => Promise<void>,
  options: FrameWalkOptions = {},
): Promise<number> {
  const epsilon = options.epsilon ?? 1e-5;
  let minInterval = Infinity;
  const probe = options.probeStep ?? 1 / 240;
  let visited = 0;
  const checkAborted = (): void => {
    if (options.signal?.aborted)
      throw options.signal.reason instanceof Error ? options.signal.reason : new DOMException('Cancelled', 'AbortError');
  };

  checkAborted();
  /** The frame the element reported last. */
  let shown = Number.NaN;
  /**
   * Seeks; a result equal to the frame shown before is checked with one more seek, `nudge` further on: a loaded
   * browser can report the frame it showed before the seek.
   */
  const look = async (seconds: number, nudge: number): Promise<number> => {
    let t = await video.seek(seconds);
    if (t === shown) t = await video.seek(seconds + nudge);
    shown = t;
    return t;
  };
  let last = await look(0, 0);
  await visit(last);
  visited++;
  let step = probe;
  for (;;) {
    checkAborted();
    const final = last + step >= video.duration;
    const landed = await look(final ? video.duration : last + step, final ? -epsilon : epsilon);
    if (landed <= last) {
      // Still the last frame: none up to the target.
      if (final) break;
      step *= 2;
      continue;
    }
    // Frames jumped over between `last` and `landed`, newest first.
    const found = [landed];
    const checkBack = !(landed - last <= minInterval * (1 + 1e-6));
    if (checkBack) {
      for (;;) {
        checkAborted();
        const before = await look(found.at(-1)! - epsilon, -epsilon);
        // Back at the last frame visited, or no earlier frame shown (a seek the element did not honour): nothing in between.
        if (before <= last || before >= found.at(-1)!) break;
        found.push(before);
      }
    }
    for (const t of found.reverse()) {
      // After looking back, the frame shown is an older one: show this one again.
      if (checkBack) await look(t, epsilon);
      checkAborted();
      minInterval = Math.min(minInterval, t - last);
      await visit(t);
      visited++;
      last = t;
    }
    step = minInterval;
  }
  return visited;
}
