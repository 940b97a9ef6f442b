import { useId, useState } from 'react';
import type { DragEvent } from 'react';
import { useResearch, useResearchActions } from './research/research-context.tsx';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Video file analysis: drop or choose a file, its progress and cancel, and how it ended. */
function VideoFileAnalysis({ recordingId }: { recordingId: string | undefined }) {
  const actions = useResearchActions();
  const analysis = useResearch((s) => s.analysis);
  const [over, setOver] = useState(false);
  const id = useId();
  const running = analysis.status === 'running';

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer?.files[0];
    if (file && !running && recordingId === undefined) void actions()?.analyseFile(file);
  };

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid="video-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label htmlFor={id}>Analyse a video file (drop it here or choose)</label>
      <input
        id={id}
        type="file"
        accept="video/*"
        disabled={running || recordingId !== undefined}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void actions()?.analyseFile(file);
        }}
      />
      {analysis.status === 'running' && (
        <div className="row">
          <progress
            aria-label={`Analysing ${analysis.file}`}
            data-testid="analysis-progress"
            data-frames={analysis.progress?.frames ?? 0}
            max={analysis.progress?.duration ?? 1}
            value={analysis.progress?.mediaTime ?? 0}
          />
          <span>
            {analysis.progress
              ? `${analysis.progress.frames} frames, ${seconds(analysis.progress.mediaTime * 1000)} of ${seconds(analysis.progress.duration * 1000)}`
              : 'opening…'}
          </span>
          <button type="button" onClick={() => actions()?.cancelAnalysis()}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" data-testid="analysis-status" data-status={analysis.status}>
        {analysis.status === 'done' && `${analysis.file}: ${analysis.frames} frames analysed.`}
        {analysis.status === 'cancelled' && `${analysis.file}: analysis cancelled.`}
        {analysis.status === 'error' && `${analysis.file} could not be analysed: ${analysis.message}`}
      </p>
    </div>
  );
}

function ImportRecording() {
  const actions = useResearchActions();
  const id = useId();
  return (
    <div className="row">
      <label htmlFor={id}>Import a recording (CSV or JSON)</label>
      <input
        id={id}
        type="file"
        accept=".csv,.json,text/csv,application/json"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void actions()?.importFile(file);
        }}
      />
    </div>
  );
}

/** The stored recordings; the one being written now cannot be deleted, and one left unfinished shows as interrupted. */
function RecordingList({ recordingId }: { recordingId: string | undefined }) {
  const actions = useResearchActions();
  const recordings = useResearch((s) => s.recordings);
  if (recordings.length === 0) return <p className="muted">No stored sessions yet.</p>;
  return (
    <ul className="session-list" data-testid="session-list">
      {recordings.map((s) => {
        const interrupted = s.status === 'recording' && s.meta.id !== recordingId;
        return (
          <li
            key={s.meta.id}
            data-testid="session"
            data-id={s.meta.id}
            data-frames={s.frameCount}
            data-status={interrupted ? 'interrupted' : s.status}
          >
            <span className="session-name">{s.meta.name}</span>{' '}
            <span className="muted">
              {s.meta.source.kind === 'file' ? 'video file' : 'camera'}, {s.frameCount} frames, {seconds(s.durationMs)},{' '}
              {s.meta.markers.length} markers
              {interrupted && ', interrupted'}
              {s.meta.id === recordingId && ', recording'}
            </span>{' '}
            <button type="button" onClick={() => void actions()?.open(s.meta.id)} aria-label={`Open ${s.meta.name}`}>
              Open
            </button>
            <button
              type="button"
              disabled={s.meta.id === recordingId}
              onClick={() => void actions()?.remove(s.meta.id)}
              aria-label={`Delete ${s.meta.name}`}
            >
              Delete
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Video file analysis, import of an exported file, and the stored recordings. */
export function StoredRecordingsPanel() {
  const recordingId = useResearch((s) => (s.recorder.status === 'recording' ? s.recorder.id : undefined));
  const problem = useResearch((s) => s.problem);
  return (
    <section className="panel sessions" aria-label="Sessions">
      <h2>Sessions</h2>
      <VideoFileAnalysis recordingId={recordingId} />
      <ImportRecording />
      {problem && (
        <p role="alert" data-testid="research-problem">
          {problem}
        </p>
      )}
      <RecordingList recordingId={recordingId} />
    </section>
  );
}
