import { memo } from 'react';
import { ReferenceDot, ReferenceLine, Scatter, ScatterChart, XAxis, YAxis } from 'recharts';
import type { ScatterShapeProps } from 'recharts/types/util/ScatterUtils';
import { circumplexPoint, EMOTIONS } from '../core/emotions.ts';
import type { ValenceArousal } from '../core/emotions.ts';
import { useAppStore } from './store-context.tsx';
import { selectChart } from './store.ts';
import { useReducedMotion } from './use-reduced-motion.ts';

const SIZE = 340;
const CIRCLE = Array.from({ length: 73 }, (_, i) => {
  const a = (i / 72) * 2 * Math.PI;
  return { valence: Math.cos(a), arousal: Math.sin(a) };
});
const WORDS = EMOTIONS.filter((e) => e !== 'neutral').map((e) => {
  const p = circumplexPoint(e);
  return { word: e, valence: p.valence * 1.13, arousal: p.arousal * 1.13 };
});

const clamp = (v: number): number => Math.max(-1, Math.min(1, v));
const noDot = () => <g />;

function TrailDot(props: ScatterShapeProps) {
  const opacity = (props.payload as { opacity?: number } | undefined)?.opacity ?? 1;
  if (props.cx === undefined || props.cy === undefined) return <g />;
  return <circle data-testid="circumplex-trail-point" className="trail-dot" cx={props.cx} cy={props.cy} r={3.5} fillOpacity={opacity} />;
}

function CurrentDot(props: ScatterShapeProps) {
  if (props.cx === undefined || props.cy === undefined) return <g />;
  return <circle data-testid="circumplex-point" className="current-dot" cx={props.cx} cy={props.cy} r={8} />;
}

function describe(p: ValenceArousal | undefined): string {
  if (!p) return 'Circumplex: no reading yet.';
  return `Circumplex: valence ${p.valence.toFixed(2)}, arousal ${p.arousal.toFixed(2)}.`;
}

/** Russell's circumplex: valence across, arousal up; the latest reading and a fading trail (10 Hz). */
export const CircumplexChart = memo(function CircumplexChart() {
  const { trail } = useAppStore(selectChart);
  const reducedMotion = useReducedMotion();
  const shown = reducedMotion ? trail.slice(-1) : trail;
  const points = shown.map((p, i) => ({ valence: clamp(p.valence), arousal: clamp(p.arousal), opacity: (i + 1) / shown.length }));
  const current = points.at(-1);
  return (
    <figure className="panel circumplex" data-testid="circumplex" data-points={points.length} aria-label={describe(current)}>
      <ScatterChart width={SIZE} height={SIZE} margin={{ top: 24, right: 24, bottom: 28, left: 8 }} accessibilityLayer={false}>
        <XAxis
          type="number"
          dataKey="valence"
          domain={[-1.3, 1.3]}
          ticks={[-1, 0, 1]}
          label={{ value: 'valence', position: 'insideBottom', offset: -12 }}
        />
        <YAxis
          type="number"
          dataKey="arousal"
          domain={[-1.3, 1.3]}
          ticks={[-1, 0, 1]}
          width={44}
          label={{ value: 'arousal', angle: -90, position: 'insideLeft', offset: 12 }}
        />
        <ReferenceLine x={0} className="axis-line" />
        <ReferenceLine y={0} className="axis-line" />
        <Scatter data={CIRCLE} line={{ className: 'unit-circle' }} shape={noDot} isAnimationActive={false} legendType="none" />
        {WORDS.map((w) => (
          <ReferenceDot
            key={w.word}
            x={w.valence}
            y={w.arousal}
            r={0}
            label={{ value: w.word, position: 'center', className: 'emotion-word' }}
          />
        ))}
        <Scatter data={points.slice(0, -1)} shape={TrailDot} isAnimationActive={false} />
        {current && <Scatter data={[current]} shape={CurrentDot} isAnimationActive={false} />}
      </ScatterChart>
      <figcaption className="sr-only">{describe(current)}</figcaption>
    </figure>
  );
});
