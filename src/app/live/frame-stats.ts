/** Per-frame figures the status bar shows, as pure functions of the previous value and the clock. */
import type { FaceLostPhase } from '../../features/inference/face-lost.ts';

/** Weight of the newest frame interval in the smoothed frame rate. */
const FPS_WEIGHT = 0.1;

/**
 * Frames per second from the exponentially smoothed interval between results. The interval is smoothed, not
 * the rate: results of overlapped frames can arrive in bursts (2 ms apart, then 60 ms), and averaging the
 * instant rates of such pairs would report several times the real rate. `dtMs` undefined (first frame after
 * a restart) or invalid keeps the previous value; 0 (two results in one tick) counts.
 */
export function smoothedFps(previous: number | undefined, dtMs: number | undefined): number | undefined {
  if (dtMs === undefined || !Number.isFinite(dtMs) || dtMs < 0) return previous;
  const interval = previous === undefined ? dtMs : (1000 / previous) * (1 - FPS_WEIGHT) + dtMs * FPS_WEIGHT;
  return interval > 0 ? 1000 / interval : previous;
}

/** Whole seconds without a face once the face-lost policy has reset the reading; undefined while a reading stands. */
export function noFaceSeconds(phase: FaceLostPhase, now: number, lastFaceAt: number): number | undefined {
  return phase === 'reset' ? Math.floor((now - lastFaceAt) / 1000) : undefined;
}

/** Whether the charts may repaint now, at most `hz` times a second. */
export function chartDue(now: number, lastChart: number, hz: number): boolean {
  return now - lastChart >= 1000 / hz;
}
