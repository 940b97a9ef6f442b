import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../core/emotions.ts';
import type { PersonalHead } from '../../core/personal-head.ts';
import { parameterHash, profileForExport, profileKey, type Profile } from './profile.ts';

const head = (bias: number): PersonalHead => ({
  featureSize: 3,
  centre: Float32Array.of(0.1, 0.2, 0.3),
  dW: new Float32Array(3 * EMOTIONS.length),
  db: Float32Array.from(EMOTIONS, (_, i) => (i === 1 ? bias : 0)),
  dV: new Float32Array(6),
  dc: Float32Array.of(0.05, -0.05),
  classes: ['neutral', 'happy'],
});

describe('profiles', () => {
  it('the hash names the parameters: equal parameters, equal hash; any change, another hash', async () => {
    const a = await parameterHash(head(0.5));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await parameterHash(head(0.5))).toBe(a);
    expect(await parameterHash(head(0.5000001))).not.toBe(a);
    expect(await parameterHash({ ...head(0.5), classes: ['neutral', 'sad'] })).not.toBe(a);
  });
  it('exports as plain numbers that round-trip through JSON', async () => {
    const h = head(0.5);
    const p: Profile = {
      id: 'p1',
      name: 'Me',
      createdAt: '2026-12-04T17:00:00.000Z',
      hash: await parameterHash(h),
      head: h,
      verdict: { accepted: true, reason: '', shippedAccuracy: 0.4, personalAccuracy: 1 },
      frames: 20,
    };
    const out = JSON.parse(JSON.stringify(profileForExport(p))) as ReturnType<typeof profileForExport>;
    expect(out.head.db[1]).toBeCloseTo(0.5, 6);
    expect(out.head.centre).toHaveLength(3);
    expect(profileKey(p)).toBe(`p1:${p.hash}`);
  });
});
