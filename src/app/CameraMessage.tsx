import { useAppStore } from './store-context.tsx';
import { selectCamera } from './store.ts';

/** Shown instead of the picture when the camera cannot be used, with a way to try again. */
export function CameraMessage({ onRetry }: { onRetry: () => void }) {
  const camera = useAppStore(selectCamera);
  if (camera.status === 'reconnecting') {
    return (
      <div className="camera-message" role="alert" data-kind="reconnecting" data-attempt={camera.attempt}>
        <p>Camera disconnected — reconnecting…</p>
        {camera.attempt > 1 && (
          <p className="muted">Attempt {camera.attempt}. Reconnect the camera or close other apps that use it; the session carries on.</p>
        )}
      </div>
    );
  }
  if (camera.status !== 'error') return null;
  return (
    <div className="camera-message" role="alert" data-kind={camera.kind}>
      <p>{camera.message}</p>
      <button type="button" onClick={onRetry}>
        Retry camera
      </button>
    </div>
  );
}
