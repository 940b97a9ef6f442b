import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraMessage } from './CameraMessage.tsx';
import { CircumplexChart } from './CircumplexChart.tsx';
import { Controls } from './Controls.tsx';
import { CropPreview } from './CropPreview.tsx';
import { FaceOverlay } from './FaceOverlay.tsx';
import { Hud } from './Hud.tsx';
import { ModelErrorScreen } from './ModelErrorScreen.tsx';
import { PersonalPanel } from './PersonalPanel.tsx';
import { createPersonal, createPersonalStore } from './personal.ts';
import type { Personal } from './personal.ts';
import { PersonalProvider } from './personal-context.tsx';
import { PwaControls } from './PwaControls.tsx';
import { Readout } from './Readout.tsx';
import { RecordingPanel } from './RecordingPanel.tsx';
import { createResearch, createResearchStore } from './research.ts';
import type { Research } from './research.ts';
import { ResearchProvider } from './research-context.tsx';
import { ReviewView } from './ReviewView.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';
import { SessionNotices } from './SessionNotices.tsx';
import { StatusBar } from './StatusBar.tsx';
import { Timeline } from './Timeline.tsx';
import { startSession } from './session.ts';
import type { Session } from './session.ts';
import { initialState, selectDetector, selectSettings } from './store.ts';
import { useAppStore, useAppStoreApi } from './store-context.tsx';
import type { InstallPrompt } from '../features/pwa/install-prompt.ts';

export function App({ installPrompt }: { installPrompt: InstallPrompt }) {
  const store = useAppStoreApi();
  const videoRef = useRef<HTMLVideoElement>(null);
  const sessionRef = useRef<Session | undefined>(undefined);
  const detectorFailed = useAppStore((s) => selectDetector(s).status === 'error');
  const theme = useAppStore((s) => selectSettings(s).theme);
  const getSession = useCallback(() => sessionRef.current, []);
  const researchRef = useRef<Research | undefined>(undefined);
  const [research] = useState(() => ({ store: createResearchStore(), get: () => researchRef.current }));
  const personalRef = useRef<Personal | undefined>(undefined);
  const [personal] = useState(() => ({ store: createPersonalStore(), get: () => personalRef.current }));

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const session = startSession(store, video);
    sessionRef.current = session;
    personalRef.current = createPersonal(store, personal.store, () => sessionRef.current);
    researchRef.current = createResearch(store, research.store, () => sessionRef.current, (key) => personalRef.current?.exported(key));
    return () => {
      personalRef.current?.dispose();
      personalRef.current = undefined;
      researchRef.current?.dispose();
      researchRef.current = undefined;
      session.dispose();
      sessionRef.current = undefined;
      store.setState({ ...initialState, settings: store.getState().settings });
    };
  }, [store, research, personal]);

  return (
    <PersonalProvider value={personal}>
    <ResearchProvider value={research}>
      <div className="app">
        <header>
          <h1>Circumplex</h1>
          <p className="tagline">Facial expression analysis that runs entirely in this browser: no video leaves your device.</p>
          <PwaControls installPrompt={installPrompt} />
        </header>
        <main>
          <ModelErrorScreen />
          <div className="layout" hidden={detectorFailed}>
            <div className="left">
              <div className="stage-frame">
                <div className="stage" data-testid="stage">
                  <video ref={videoRef} className="video" aria-label="Camera picture (mirrored)" muted playsInline />
                  <FaceOverlay />
                </div>
                <SessionNotices />
                <CameraMessage onRetry={() => void sessionRef.current?.retryCamera()} />
              </div>
              <Controls getSession={getSession} />
              <Timeline />
              <RecordingPanel />
              <SessionsPanel />
            </div>
            <div className="right">
              <CircumplexChart />
              <Readout />
              <PersonalPanel />
              <Hud />
              <CropPreview />
            </div>
          </div>
          {!detectorFailed && <ReviewView />}
        </main>
        <StatusBar />
      </div>
    </ResearchProvider>
    </PersonalProvider>
  );
}
