import { useEffect, useRef } from 'react';
import { CameraMessage } from './CameraMessage.tsx';
import { FaceOverlay } from './FaceOverlay.tsx';
import { ModelErrorScreen } from './ModelErrorScreen.tsx';
import { StatusBar } from './StatusBar.tsx';
import { startSession } from './session.ts';
import type { Session } from './session.ts';
import { initialState, selectDetector } from './store.ts';
import { useAppStore, useAppStoreApi } from './store-context.tsx';

export function App() {
  const store = useAppStoreApi();
  const videoRef = useRef<HTMLVideoElement>(null);
  const sessionRef = useRef<Session | undefined>(undefined);
  const detectorFailed = useAppStore((s) => selectDetector(s).status === 'error');

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const session = startSession(store, video);
    sessionRef.current = session;
    return () => {
      session.dispose();
      sessionRef.current = undefined;
      store.setState(initialState);
    };
  }, [store]);

  return (
    <div className="app">
      <header>
        <h1>Circumplex</h1>
        <p className="tagline">Facial expression analysis that runs entirely in this browser: no video leaves your device.</p>
      </header>
      <main>
        <ModelErrorScreen />
        <div className="stage-frame" hidden={detectorFailed}>
          <div className="stage" data-testid="stage">
            <video ref={videoRef} className="video" aria-label="Camera picture (mirrored)" muted playsInline />
            <FaceOverlay />
          </div>
          <CameraMessage onRetry={() => void sessionRef.current?.retryCamera()} />
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
