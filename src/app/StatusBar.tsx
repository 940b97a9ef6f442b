import { useAppStore } from './store-context.tsx';
import { selectCamera, selectDetector, selectDetectorMs, selectFaceCount, selectFrameError, selectFramesProcessed } from './store.ts';
import type { CameraState, DetectorState } from './store.ts';
import type { LoadStage } from '../features/pipeline/protocol.ts';

function cameraText(c: CameraState): string {
  if (c.status === 'starting') return 'Camera: starting…';
  if (c.status === 'live') return `Camera: on (${c.label})`;
  if (c.status === 'stopped') return 'Camera: stopped';
  if (c.status === 'reconnecting') return 'Camera: reconnecting…';
  return 'Camera: unavailable';
}

const STAGE_TEXT: Record<LoadStage, string> = {
  detector: 'starting the face detector',
  backend: 'choosing a backend',
  'expression-model': 'loading the expression model',
  'temporal-model': 'loading the temporal model',
  'warm-up': 'warming up',
};

function detectorText(d: DetectorState): string {
  if (d.status === 'loading') {
    const bytes = d.totalBytes > 0 ? ` ${Math.round((100 * d.loadedBytes) / d.totalBytes)}%` : '';
    return d.stage === 'download' ? `Detector: loading… (downloading models${bytes})` : `Detector: loading… (${STAGE_TEXT[d.stage]})`;
  }
  if (d.status === 'ready') return 'Detector: ready';
  return 'Detector: failed';
}

export function StatusBar() {
  const camera = useAppStore(selectCamera);
  const detector = useAppStore(selectDetector);
  const faces = useAppStore(selectFaceCount);
  const ms = useAppStore(selectDetectorMs);
  const frameError = useAppStore(selectFrameError);
  const frames = useAppStore(selectFramesProcessed);
  return (
    <footer className="status" aria-label="Status">
      {/* Only state changes are announced; per-frame numbers would flood a screen reader. */}
      <span role="status" data-testid="camera-status">
        {cameraText(camera)}
      </span>
      <span role="status" data-testid="detector-status">
        {detectorText(detector)}
      </span>
      <span data-testid="face-count" data-count={faces ?? ''} data-frames={frames}>
        Faces: {faces ?? '–'}
      </span>
      <span data-testid="detector-ms" data-ms={ms === undefined ? '' : ms.toFixed(2)}>
        Detector: {ms === undefined ? '–' : `${ms.toFixed(1)} ms`}
      </span>
      {frameError && <span className="warning">Frame skipped: {frameError}</span>}
    </footer>
  );
}
