/**
 * MediaPipe's VIDEO running mode rejects a timestamp that is not strictly greater than the previous
 * one (whole milliseconds). Frame times from the page can repeat or step back (a restarted camera, a
 * coarse clock), so they are forced forward here.
 */
export function createMonotonicClock(): (timestampMs: number) => number {
  let last = -Infinity;
  return (timestampMs) => {
    const t = Math.max(Math.round(timestampMs), last + 1);
    last = t;
    return t;
  };
}
