import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraMessage } from './CameraMessage.tsx';
import { CircumplexChart } from './CircumplexChart.tsx';
import { Controls } from './Controls.tsx';
import { CropPreview } from './CropPreview.tsx';
import { FaceOverlay } from './FaceOverlay.tsx';
import { Hud } from './Hud.tsx';
import { ModelErrorScreen } from './ModelErrorScreen.tsx';
import { PersonalPanel } from './PersonalPanel.tsx';
import { createPersonal } from './personal/personal.ts';
import { createPersonalStore } from './personal/personal-store.ts';
import type { Personal } from './personal/personal.ts';
import { PersonalProvider } from './personal/personal-context.tsx';
import { PwaControls } from './PwaControls.tsx';
import { Readout } from './Readout.tsx';
import { RecordingPanel } from './RecordingPanel.tsx';
import { createResearch } from './research/research.ts';
import { createResearchStore } from './research/research-store.ts';
import type { Research } from './research/research.ts';
import { ResearchProvider } from './research/research-context.tsx';
import { ReviewView } from './ReviewView.tsx';
import { LiveNotices } from './LiveNotices.tsx';
import { StatusBar } from './StatusBar.tsx';
import { StoredRecordingsPanel } from './StoredRecordingsPanel.tsx';
import { Timeline } from './Timeline.tsx';
import { startLiveSession } from './live/live-session.ts';
import type { PipelineLoader } from './live/model-loading.ts';
import type { LiveSession } from './live/live-session.ts';
import { initialState, selectDetector, selectSettings } from './store.ts';
import { useAppStore, useAppStoreApi } from './store-context.tsx';
import type { InstallPrompt } from '../features/pwa/install-prompt.ts';

/** `pipeline` loads the models into the store; main.ts starts it before the UI's code loads. */
export function App({ installPrompt, pipeline }: { installPrompt: InstallPrompt; pipeline: PipelineLoader }) {
  const store = useAppStoreApi();
  const videoRef = useRef<HTMLVideoElement>(null);
  const liveRef = useRef<LiveSession | undefined>(undefined);
  const detectorFailed = useAppStore((s) => selectDetector(s).status === 'error');
  const theme = useAppStore((s) => selectSettings(s).theme);
  const getLive = useCallback(() => liveRef.current, []);
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
    const live = startLiveSession(store, video, pipeline);
    liveRef.current = live;
    personalRef.current = createPersonal(personal.store, live);
    researchRef.current = createResearch(store, research.store, live, (key) => personalRef.current?.exported(key));
    return () => {
      personalRef.current?.dispose();
      personalRef.current = undefined;
      researchRef.current?.dispose();
      researchRef.current = undefined;
      live.dispose();
      liveRef.current = undefined;
      store.setState({ ...initialState, settings: store.getState().settings });
    };
  }, [store, research, personal, pipeline]);

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
                  <LiveNotices />
                  <CameraMessage onRetry={() => void liveRef.current?.retryCamera()} />
                </div>
                <Controls getLive={getLive} />
                <Timeline />
                <RecordingPanel />
                <StoredRecordingsPanel />
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
