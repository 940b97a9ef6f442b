/** Per-frame figures the status bar shows, as pure functions of the previous value and the clock. */
import type { FaceLostPhase } from '../../features/inference/face-lost.ts';

/** Weight of the newest frame interval in the smoothed frame rate. */
const FPS_WEIGHT = 0.1;

/** Frames per second, exponentially smoothed; `dtMs` undefined or not positive (first frame, same tick) keeps the previous value. */
export function smoothedFps(previous: number | undefined, dtMs: number | undefined): number | undefined {
  if (dtMs === undefined || dtMs <= 0) return previous;
  const instant = 1000 / dtMs;
  return previous === undefined ? instant : previous * (1 - FPS_WEIGHT) + instant * FPS_WEIGHT;
}

/** Whole seconds without a face once the face-lost policy has reset the reading; undefined while a reading stands. */
export function noFaceSeconds(phase: FaceLostPhase, now: number, lastFaceAt: number): number | undefined {
  return phase === 'reset' ? Math.floor((now - lastFaceAt) / 1000) : undefined;
}

/** Whether the charts may repaint now, at most `hz` times a second. */
export function chartDue(now: number, lastChart: number, hz: number): boolean {
  return now - lastChart >= 1000 / hz;
}
