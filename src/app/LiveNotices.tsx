import { useAppStore } from './store-context.tsx';
import { selectFrame, selectNoFaceSeconds, selectPaused } from './store.ts';
import { liveNotices } from './live-notices.ts';

const NO_ISSUES: readonly never[] = [];

/** What is wrong with the current input (live-notices.ts), over the bottom of the picture. */
export function LiveNotices() {
  const paused = useAppStore(selectPaused);
  const noFaceSeconds = useAppStore(selectNoFaceSeconds);
  const faces = useAppStore((s) => selectFrame(s)?.faces.length ?? 0);
  const issues = useAppStore((s) => selectFrame(s)?.analysis?.quality.issues ?? NO_ISSUES);
  const notices = liveNotices({ paused, noFaceSeconds, faces, issues });
  // Always mounted, so screen readers announce changes to the live region.
  return (
    <ul className="session-notices" role="status" aria-label="Notices" data-testid="notices">
      {notices.map((n) => (
        <li key={n.kind} data-kind={n.kind}>
          {n.text}
        </li>
      ))}
    </ul>
  );
}
