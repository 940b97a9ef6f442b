import { memo } from 'react';
import { circumplexPoint, EMOTIONS } from '../core/emotions.ts';
import type { ValenceArousal } from '../core/emotions.ts';
import { BottomAxis, LeftAxis } from './charts/Axes.tsx';
import type { PlotArea } from './charts/Axes.tsx';
import { clamp, linearScale } from './charts/plot.ts';
import { useAppStore } from './store-context.tsx';
import { selectChart } from './store.ts';
import { useReducedMotion } from './use-reduced-motion.ts';

const SIZE = 340;
const DOMAIN = [-1.3, 1.3] as const;
const TICKS = [-1, 0, 1];
const AREA: PlotArea = { left: 52, top: 24, right: SIZE - 24, bottom: SIZE - 52 };
const X = linearScale(DOMAIN, [AREA.left, AREA.right]);
const Y = linearScale(DOMAIN, [AREA.bottom, AREA.top]);
const WORDS = EMOTIONS.filter((e) => e !== 'neutral').map((e) => {
  const p = circumplexPoint(e);
  return { word: e, x: X(p.valence * 1.13), y: Y(p.arousal * 1.13) };
});

const at = (p: ValenceArousal): { cx: number; cy: number } => ({ cx: X(clamp(p.valence, -1, 1)), cy: Y(clamp(p.arousal, -1, 1)) });

function describe(p: ValenceArousal | undefined): string {
  if (!p) return 'Circumplex: no reading yet.';
  return `Circumplex: valence ${p.valence.toFixed(2)}, arousal ${p.arousal.toFixed(2)}.`;
}

/** The fixed part: axes, the unit circle, the zero lines and the emotion words around the circle. */
const Backdrop = memo(function Backdrop() {
  return (
    <>
      <BottomAxis area={AREA} x={X} ticks={TICKS} title="valence" />
      <LeftAxis area={AREA} y={Y} ticks={TICKS} title="arousal" />
      <line className="axis-line" x1={X(0)} x2={X(0)} y1={AREA.top} y2={AREA.bottom} />
      <line className="axis-line" x1={AREA.left} x2={AREA.right} y1={Y(0)} y2={Y(0)} />
      <ellipse className="unit-circle" cx={X(0)} cy={Y(0)} rx={X(1) - X(0)} ry={Y(0) - Y(1)} />
      {WORDS.map((w) => (
        <text key={w.word} x={w.x} y={w.y} dy="0.32em" textAnchor="middle" className="emotion-word">
          {w.word}
        </text>
      ))}
    </>
  );
});

/** Russell's circumplex: valence across, arousal up; the latest reading and a fading trail (10 Hz). */
export const CircumplexChart = memo(function CircumplexChart() {
  const { trail } = useAppStore(selectChart);
  const reducedMotion = useReducedMotion();
  const shown = reducedMotion ? trail.slice(-1) : trail;
  const current = shown.at(-1);
  return (
    <figure className="panel circumplex" data-testid="circumplex" data-points={shown.length} aria-label={describe(current)}>
      <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} className="chart" role="img" aria-hidden="true">
        <Backdrop />
        {shown.slice(0, -1).map((p, i) => (
          <circle
            key={i}
            data-testid="circumplex-trail-point"
            className="trail-dot"
            r={3.5}
            fillOpacity={(i + 1) / shown.length}
            {...at(p)}
          />
        ))}
        {current && <circle data-testid="circumplex-point" className="current-dot" r={8} {...at(current)} />}
      </svg>
      <figcaption className="sr-only">{describe(current)}</figcaption>
    </figure>
  );
});
