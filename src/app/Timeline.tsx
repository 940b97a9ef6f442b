import { memo } from 'react';
import { ValenceArousalChart } from './charts/ValenceArousalChart.tsx';
import { useAppStore } from './store-context.tsx';
import { selectChart } from './store.ts';

const X_DOMAIN = [-60, 0] as const;
const X_TICKS = [-60, -45, -30, -15, 0];

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
      <ValenceArousalChart width={560} height={200} points={timeline} xDomain={X_DOMAIN} xTicks={X_TICKS} unit=" s" strokeWidth={2} />
    </figure>
  );
});
