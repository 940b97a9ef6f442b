import type { Scale } from './plot.ts';
import { tickLabel } from './plot.ts';

/** The plot area inside an SVG chart, px. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const TICK = 6;

/** The bottom axis: its line, tick marks and values, and an optional title under them. */
export function BottomAxis({
  area,
  x,
  ticks,
  unit = '',
  title,
}: {
  area: PlotArea;
  x: Scale;
  ticks: readonly number[];
  unit?: string;
  title?: string;
}) {
  return (
    <g className="chart-axis chart-axis-x">
      <line x1={area.left} x2={area.right} y1={area.bottom} y2={area.bottom} />
      {ticks.map((v) => (
        <g key={v} transform={`translate(${x(v).toFixed(1)},${area.bottom})`}>
          <line y2={TICK} />
          <text y={TICK + 12} textAnchor="middle" className="chart-tick">
            {tickLabel(v, unit)}
          </text>
        </g>
      ))}
      {title && (
        <text x={(area.left + area.right) / 2} y={area.bottom + TICK + 26} textAnchor="middle" className="chart-title">
          {title}
        </text>
      )}
    </g>
  );
}

/** The left axis: its line, tick marks and values, and an optional title turned along it. */
export function LeftAxis({ area, y, ticks, title }: { area: PlotArea; y: Scale; ticks: readonly number[]; title?: string }) {
  const mid = (area.top + area.bottom) / 2;
  return (
    <g className="chart-axis chart-axis-y">
      <line x1={area.left} x2={area.left} y1={area.top} y2={area.bottom} />
      {ticks.map((v) => (
        <g key={v} transform={`translate(${area.left},${y(v).toFixed(1)})`}>
          <line x2={-TICK} />
          <text x={-TICK - 3} dy="0.32em" textAnchor="end" className="chart-tick">
            {tickLabel(v)}
          </text>
        </g>
      ))}
      {title && (
        <text transform={`translate(${area.left - 30},${mid}) rotate(-90)`} textAnchor="middle" className="chart-title">
          {title}
        </text>
      )}
    </g>
  );
}
