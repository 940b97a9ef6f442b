import { describe, expect, it } from 'vitest';
import { liveNotices } from './live-notices.ts';

const calm = { paused: false, noFaceSeconds: undefined, faces: 1, issues: [] } as const;

describe('liveNotices', () => {
  it('says nothing while one good face is tracked', () => {
    expect(liveNotices(calm)).toEqual([]);
  });

  it('counts the seconds without a face', () => {
    expect(liveNotices({ ...calm, faces: 0, noFaceSeconds: 3 })).toEqual([
      { kind: 'no-face', text: 'No face found for 3 s — face the camera.' },
    ]);
  });

  it('names the number of faces when there are several', () => {
    expect(liveNotices({ ...calm, faces: 2 }).map((n) => n.text)).toEqual(['2 faces — tracking the largest.']);
  });

  it('marks dark, bright, small and uncertain faces as unreliable', () => {
    const texts = liveNotices({ ...calm, issues: ['dark', 'bright', 'small', 'uncertain'] }).map((n) => n.text);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(/^Low light — readings unreliable/);
    expect(texts[1]).toMatch(/^Too bright — readings unreliable/);
    for (const t of texts) expect(t).toContain('unreliable');
  });

  it('shows only the pause while paused', () => {
    expect(liveNotices({ paused: true, noFaceSeconds: 5, faces: 3, issues: ['dark'] }).map((n) => n.kind)).toEqual(['paused']);
  });
});
