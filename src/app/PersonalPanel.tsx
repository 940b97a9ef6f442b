import { useId, useState } from 'react';
import type { Profile } from '../features/calibration/profile.ts';
import { CaptureDialog } from './CaptureDialog.tsx';
import { usePersonal, usePersonalActions } from './personal/personal-context.tsx';
import { useAppStore } from './store-context.tsx';

function ProfileRow({ profile, active, group }: { profile: Profile; active: boolean; group: string }) {
  const actions = usePersonalActions();
  const [name, setName] = useState(profile.name);
  const nameId = useId();
  return (
    <li data-testid="profile" data-id={profile.id} data-hash={profile.hash} data-active={active}>
      <label>
        <input type="radio" name={group} checked={active} onChange={() => actions()?.use(profile.id)} /> {profile.name}
      </label>
      <span className="muted">
        {' '}
        · {new Date(profile.createdAt).toLocaleString()} · {profile.frames} frames · {profile.head.classes.join(', ')}
      </span>
      <div className="row">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && void actions()?.rename(profile.id, name)}
        />
        <button type="button" disabled={!name.trim() || name === profile.name} onClick={() => void actions()?.rename(profile.id, name)}>
          Rename
        </button>
        <button type="button" onClick={() => void actions()?.remove(profile.id)} aria-label={`Delete ${profile.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}

/** "Calibrate to me": the guided capture, the stored profiles, and which one shapes the readings. */
export function PersonalPanel() {
  const actions = usePersonalActions();
  const status = usePersonal((s) => s.status);
  const profiles = usePersonal((s) => s.profiles);
  const activeId = usePersonal((s) => s.activeId);
  const storage = usePersonal((s) => s.storage);
  const problem = usePersonal((s) => s.problem);
  const live = useAppStore((s) => s.expression && s.detector.status === 'ready' && s.camera.status === 'live');
  const [optional, setOptional] = useState(false);
  const group = useId();
  const busy = status.kind === 'capturing' || status.kind === 'fitting';
  const active = profiles.find((p) => p.id === activeId);
  return (
    <section className="panel personal" aria-labelledby="personal-title">
      <h2 id="personal-title">Personal calibration</h2>
      <p className="muted">Show a few expressions for about a minute; the model adapts to your face. Profiles stay in this browser.</p>
      <div className="row">
        <button type="button" disabled={!live || busy || storage !== 'ready'} onClick={() => actions()?.start(optional)}>
          Calibrate to me
        </button>
        <label>
          <input type="checkbox" checked={optional} disabled={busy} onChange={(e) => setOptional(e.currentTarget.checked)} /> also disgust
          and fear
        </label>
      </div>
      {status.kind === 'capturing' && <CaptureDialog capture={status.capture} now={status.now} />}
      {status.kind === 'fitting' && <p role="status">Fitting your calibration…</p>}
      {status.kind === 'refused' && (
        <p role="alert" data-testid="personal-message">
          {status.message}
        </p>
      )}
      {status.kind === 'saved' && (
        <p role="status" data-testid="personal-message">
          {status.name} saved and in use. {status.message}
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
      <fieldset>
        <legend>Readings from</legend>
        <p data-testid="model-in-use" data-profile={active?.id ?? ''}>
          {active ? `your calibration "${active.name}"` : 'the shipped model'}
        </p>
        <label>
          <input type="radio" name={group} checked={activeId === undefined} onChange={() => actions()?.use(undefined)} /> the shipped model
        </label>
        <ul className="profiles" data-testid="profiles">
          {profiles.map((p) => (
            <ProfileRow key={`${p.id}:${p.name}`} profile={p} active={p.id === activeId} group={group} />
          ))}
        </ul>
      </fieldset>
    </section>
  );
}
