import { memo } from 'react';
import { Line, LineChart, ReferenceLine, XAxis, YAxis, Legend } from 'recharts';
import { useAppStore } from './store-context.tsx';
import { selectChart } from './store.ts';

/** Valence and arousal over the last 60 s (refreshed at the chart rate, not per frame). */
export const Timeline = memo(function Timeline() {
  const { timeline } = useAppStore(selectChart);
  const drawn = timeline.filter((p) => p.valence !== null).length;
  return (
    <figure
      className="panel timeline"
      data-testid="timeline"
      data-points={drawn}
      aria-label={`Valence and arousal over the last 60 seconds, ${drawn} readings`}
    >
      <LineChart
        width={560}
        height={200}
        data={timeline as object[]}
        margin={{ top: 8, right: 16, bottom: 16, left: 0 }}
        accessibilityLayer={false}
      >
        <XAxis type="number" dataKey="t" domain={[-60, 0]} ticks={[-60, -45, -30, -15, 0]} unit=" s" />
        <YAxis domain={[-1, 1]} ticks={[-1, 0, 1]} width={40} allowDataOverflow />
        <ReferenceLine y={0} className="axis-line" />
        <Line
          dataKey="valence"
          name="valence"
          className="line-valence"
          stroke="var(--valence)"
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
          strokeWidth={2}
        />
        <Line
          dataKey="arousal"
          name="arousal"
          className="line-arousal"
          stroke="var(--arousal)"
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
          strokeWidth={2}
        />
        <Legend verticalAlign="top" height={20} />
      </LineChart>
    </figure>
  );
});
