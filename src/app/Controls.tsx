import { useId } from 'react';
import { BACKENDS } from '../features/inference/backend-choice.ts';
import type { BackendName } from '../features/inference/backend-choice.ts';
import type { LiveSession } from './live/live-session.ts';
import { useAppStore } from './store-context.tsx';
import { selectCamera, selectCameras, selectSettings } from './store.ts';
import type { Theme } from './store.ts';

/** Camera picker, start/stop, backend override and theme: native controls, so keyboard and screen readers work as usual. */
export function Controls({ getLive }: { getLive: () => LiveSession | undefined }) {
  const camera = useAppStore(selectCamera);
  const cameras = useAppStore(selectCameras);
  const settings = useAppStore(selectSettings);
  const ids = { camera: useId(), backend: useId(), theme: useId() };
  const running = camera.status === 'live' || camera.status === 'starting' || camera.status === 'reconnecting';
  return (
    <section className="panel controls" aria-label="Settings">
      <label htmlFor={ids.camera}>Camera</label>
      <select
        id={ids.camera}
        value={settings.deviceId ?? ''}
        onChange={(e) => void getLive()?.selectCamera(e.currentTarget.value)}
        disabled={cameras.length === 0}
      >
        {settings.deviceId === undefined && <option value="">Default camera</option>}
        {cameras.map((c) => (
          <option key={c.deviceId} value={c.deviceId}>
            {c.label}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => (running ? getLive()?.stopCamera() : void getLive()?.retryCamera())}>
        {running ? 'Stop camera' : 'Start camera'}
      </button>
      <label htmlFor={ids.backend}>Backend</label>
      <select
        id={ids.backend}
        value={settings.backend}
        onChange={(e) => void getLive()?.setBackend(e.currentTarget.value as BackendName | 'auto')}
      >
        <option value="auto">Automatic</option>
        {BACKENDS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </select>
      <label htmlFor={ids.theme}>Theme</label>
      <select id={ids.theme} value={settings.theme} onChange={(e) => getLive()?.updateSettings({ theme: e.currentTarget.value as Theme })}>
        <option value="system">System</option>
        <option value="dark">Dark</option>
        <option value="light">Light</option>
      </select>
    </section>
  );
}
