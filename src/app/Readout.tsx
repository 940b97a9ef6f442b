import { EMOTIONS } from '../core/emotions.ts';
import { useAppStore } from './store-context.tsx';
import { selectExpressionLoaded, selectFrame, selectFramesProcessed } from './store.ts';

const fmt = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(2));

/**
 * The current reading and the class probabilities. Its data attributes carry the per-frame values for
 * automated checks (valence, arousal, frame number, face found, face-lost phase).
 */
export function Readout() {
  const frame = useAppStore(selectFrame);
  const frames = useAppStore(selectFramesProcessed);
  const loaded = useAppStore(selectExpressionLoaded);
  const va = frame?.va;
  const unreliable = (frame?.analysis?.quality.issues.length ?? 0) > 0;
  const probs = frame?.analysis?.probs;
  const ranked = probs ? EMOTIONS.map((e, i) => ({ e, p: probs[i] ?? 0 })).sort((a, b) => b.p - a.p) : [];
  const top = ranked[0];
  return (
    <section
      className={unreliable ? 'panel readout unreliable' : 'panel readout'}
      aria-labelledby="readout-title"
      data-testid="readout"
      data-frames={frames}
      data-found={frame ? String(frame.tracked >= 0) : ''}
      data-valence={va ? va.valence.toFixed(4) : ''}
      data-arousal={va ? va.arousal.toFixed(4) : ''}
      data-phase={frame?.phase ?? ''}
      data-top={top?.e ?? ''}
      data-reliable={frame?.analysis ? String(!unreliable) : ''}
    >
      <h2 id="readout-title">Reading</h2>
      {!loaded ? (
        <p className="muted">No expression model is installed: faces are detected but not read. Run npm run export.</p>
      ) : (
        <>
          <p className="va">
            <span>
              Valence <strong>{fmt(va?.valence)}</strong>
            </span>
            <span>
              Arousal <strong>{fmt(va?.arousal)}</strong>
            </span>
            {frame && frame.phase !== 'tracking' && <span className="muted">face lost ({frame.phase})</span>}
            {unreliable && (
              <span className="warning" data-testid="unreliable">
                unreliable
              </span>
            )}
          </p>
          <p className="top" data-testid="top-category">
            {top ? (
              <>
                Most likely: <strong>{top.e}</strong> ({(top.p * 100).toFixed(0)}%)
              </>
            ) : (
              'No face'
            )}
          </p>
          <ul className="probs" aria-label="Probability of each expression">
            {EMOTIONS.map((e, i) => {
              const p = probs?.[i] ?? 0;
              return (
                <li key={e}>
                  <span className="label">{e}</span>
                  <meter min={0} max={1} value={p} aria-label={`${e} ${(p * 100).toFixed(0)} percent`} />
                  <span className="pct">{probs ? `${(p * 100).toFixed(0)}%` : '–'}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
