/**
 * The arithmetic of the app's charts (circumplex, live timeline, review timeline): linear scales, tick
 * values and SVG line paths. Pure, so the drawing components stay thin and this stays tested.
 */

/** Maps a domain interval linearly onto a pixel interval (either may run backwards, e.g. y grows down). */
export type Scale = (v: number) => number;

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (!(d1 !== d0) || !Number.isFinite(d0) || !Number.isFinite(d1)) throw new Error(`linearScale: empty or invalid domain [${d0}, ${d1}]`);
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** `v` limited to [lo, hi]: a reading beyond the axis is drawn at its edge, never outside the plot. */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/**
 * Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, at most `maxCount` ticks,
 * whole numbers only when `integers` (a recording's seconds).
 */
export function niceTicks(lo: number, hi: number, maxCount: number, integers = false): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new Error(`niceTicks: invalid interval [${lo}, ${hi}]`);
  if (maxCount < 2) throw new Error(`niceTicks: maxCount must be at least 2, got ${maxCount}`);
  if (hi === lo) return [lo];
  const rough = (hi - lo) / (maxCount - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  if (integers) step = Math.max(1, Math.ceil(step));
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/**
 * An SVG path through the points in order; a point whose value is null (no face) breaks the line, so a
 * gap in the readings shows as a gap. Empty string when there is nothing to draw.
 */
export function linePath<T>(points: readonly T[], x: (p: T) => number, y: (p: T) => number | null): string {
  let d = '';
  let open = false;
  for (const p of points) {
    const v = y(p);
    if (v === null || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${x(p).toFixed(1)},${v.toFixed(1)}`;
    open = true;
  }
  return d;
}

/** Tick label text: `-1`, `0`, `1`; `unit` appended (' s'). */
export function tickLabel(v: number, unit = ''): string {
  return `${Number(v.toFixed(6))}${unit}`;
}
