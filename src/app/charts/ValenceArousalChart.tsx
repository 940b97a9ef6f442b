import { BottomAxis, LeftAxis } from './Axes.tsx';
import type { PlotArea } from './Axes.tsx';
import { clamp, linearScale, linePath } from './plot.ts';

/** One reading on a time axis; null where there was no face. */
export interface TimePoint {
  readonly t: number;
  readonly valence: number | null;
  readonly arousal: number | null;
}

/** A labelled instant (a recording's marker). */
export interface TimeMarker {
  readonly t: number;
  readonly label: string;
}

export interface ValenceArousalChartProps {
  readonly width: number;
  readonly height: number;
  readonly points: readonly TimePoint[];
  readonly xDomain: readonly [number, number];
  readonly xTicks: readonly number[];
  readonly unit: string;
  readonly strokeWidth: number;
  readonly markers?: readonly TimeMarker[];
}

const SERIES = [
  { key: 'valence', className: 'line-valence' },
  { key: 'arousal', className: 'line-arousal' },
] as const;
const LEGEND = 22;
const Y_TICKS = [-1, 0, 1];

/** Valence and arousal (-1..1) over time as two lines, with a legend, both axes, the zero line and markers. */
export function ValenceArousalChart({ width, height, points, xDomain, xTicks, unit, strokeWidth, markers = [] }: ValenceArousalChartProps) {
  const area: PlotArea = { left: 40, top: LEGEND + 8, right: width - 16, bottom: height - 26 };
  const x = linearScale(xDomain, [area.left, area.right]);
  const y = linearScale([-1, 1], [area.bottom, area.top]);
  const inside = points.filter((p) => p.t >= xDomain[0] && p.t <= xDomain[1]);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} className="chart" role="img" aria-hidden="true">
      <g className="chart-legend" transform={`translate(${(area.left + area.right) / 2 - 80},4)`}>
        {SERIES.map((s, i) => (
          <g key={s.key} transform={`translate(${i * 90},0)`}>
            <line x1={0} x2={16} y1={8} y2={8} className={s.className} strokeWidth={3} />
            <text x={22} y={8} dy="0.32em" className="chart-legend-text">
              {s.key}
            </text>
          </g>
        ))}
      </g>
      <LeftAxis area={area} y={y} ticks={Y_TICKS} />
      <BottomAxis area={area} x={x} ticks={xTicks} unit={unit} />
      <line className="axis-line" x1={area.left} x2={area.right} y1={y(0)} y2={y(0)} />
      {markers.map((m, i) => (
        <g key={i} className="marker" transform={`translate(${x(clamp(m.t, xDomain[0], xDomain[1])).toFixed(1)},0)`}>
          <line className="marker-line" y1={area.top} y2={area.bottom} />
          <text className="marker-label" y={area.top - 4} textAnchor="middle">
            {m.label}
          </text>
        </g>
      ))}
      {SERIES.map((s) => (
        <path
          key={s.key}
          className={`line-curve ${s.className}`}
          fill="none"
          strokeWidth={strokeWidth}
          d={linePath(
            inside,
            (p) => x(p.t),
            (p) => {
              const v = p[s.key];
              return v === null ? null : y(clamp(v, -1, 1));
            },
          )}
        />
      ))}
    </svg>
  );
}
