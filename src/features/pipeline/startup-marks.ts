/**
 * The steps of a start as User Timing marks (`performance.mark('circumplex:<step>')`), each the first time it happens
 * in a page's life: they show in the browser's performance panel, and `npm run bench:startup -- --timeline` reads them
 * to tell where the time to the first prediction goes. A second pipeline (another backend) or a reopened camera marks
 * nothing new.
 */

export const STARTUP_STEPS = [
  'workers-created',
  'camera-requested',
  'models-downloaded',
  // When the page hears that the model worker began a loading stage (protocol.ts, LoadStage).
  'loading:detector',
  'loading:backend',
  'loading:expression-model',
  'loading:warm-up',
  'loading:temporal-model',
  'camera-live',
  'pipeline-ready',
  'first-frame-sent',
  'first-prediction',
] as const;

export type StartupStep = (typeof STARTUP_STEPS)[number];

const PREFIX = 'circumplex:';

type Timing = Pick<Performance, 'mark' | 'getEntriesByName'>;

/** Steps already marked, per clock: called on every frame, markStartup asks the clock only until a step is marked. */
const marked = new WeakMap<Timing, Set<StartupStep>>();

/** Marks `step` now, unless this page has marked it already. */
export function markStartup(step: StartupStep, timing: Timing = performance): void {
  const done = marked.get(timing) ?? new Set<StartupStep>();
  marked.set(timing, done);
  if (done.has(step)) return;
  done.add(step);
  const name = PREFIX + step;
  if (timing.getEntriesByName(name, 'mark').length === 0) timing.mark(name);
}

/** The steps' times (ms since the page's time origin) among `marks`; other marks are ignored, the first of a step wins. */
export function startupTimeline(
  marks: readonly { readonly name: string; readonly startTime: number }[],
): Partial<Record<StartupStep, number>> {
  const timeline: Partial<Record<StartupStep, number>> = {};
  for (const { name, startTime } of marks) {
    if (!name.startsWith(PREFIX)) continue;
    const step = name.slice(PREFIX.length) as StartupStep;
    if (STARTUP_STEPS.includes(step) && timeline[step] === undefined) timeline[step] = startTime;
  }
  return timeline;
}
