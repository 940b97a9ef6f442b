import { describe, expect, test } from 'vitest';
import { EMOTIONS, type Emotion } from '../../src/core/emotions.ts';
import { simulateSubject, splitShots, subjectHalf, summarise, type SubjectFrame, type SubjectResult } from './simulate.ts';

const SHOWN: readonly Emotion[] = ['happy', 'surprise', 'sad', 'anger'];

/** A subject whose sad and anger faces the "shipped model" reads as happy; each expression has its own feature direction. */
function subject(name: string, perClass: number): SubjectFrame[] {
  let s = name.length * 7919;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const face = Float32Array.from({ length: 300 }, () => 1 + next());
  const dirs = SHOWN.map(() => Float32Array.from({ length: 300 }, () => next()));
  return SHOWN.flatMap((label, k) =>
    Array.from({ length: perClass }, (_, i) => {
      const read: Emotion = label === 'sad' || label === 'anger' ? 'happy' : label;
      return {
        subject: name,
        id: `${name}-${label}-${i}`,
        label,
        features: face.map((v, j) => Math.max(0, v + dirs[k]![j]! + 0.02 * next())),
        probs: Float32Array.from(EMOTIONS, (e) => (e === read ? 0.6 : 0.4 / 7)),
        va: [0, 0] as const,
      };
    }),
  );
}

describe('personal calibration, simulated per subject', () => {
  test('K images of each expression go to the capture, the rest to the test, reproducibly by seed', () => {
    const frames = subject('S010', 3);
    const a = splitShots(frames, 1, 7);
    expect(a.capture).toHaveLength(4);
    expect(a.test).toHaveLength(8);
    expect(new Set(a.capture.map((f) => f.label))).toEqual(new Set(SHOWN));
    expect(a.capture.some((f) => a.test.includes(f))).toBe(false);
    expect(splitShots(frames, 1, 7).capture.map((f) => f.id)).toEqual(a.capture.map((f) => f.id));
    expect(() => splitShots(frames, 0, 7)).toThrow(/--shots must be a whole number >= 1/);
  });

  test("calibration on one shot per expression corrects the subject's misread expressions", () => {
    const r = simulateSubject(subject('S011', 3), 1, SHOWN, 1);
    expect(r.shippedAccuracy).toBeCloseTo(0.5, 5);
    expect(r.accepted).toBe(true);
    expect(r.personalAccuracy).toBe(1);
  });

  test('the summary pools images, weighs subjects equally for the gain, and reports the worst drop', () => {
    const result = (subjectName: string, tested: number, shipped: number, personal: number): SubjectResult => ({
      subject: subjectName,
      shots: 4,
      tested,
      accepted: true,
      reason: '',
      shippedAccuracy: shipped,
      personalAccuracy: personal,
      before: Array.from({ length: tested }, (_, i) => [i % 2 ? 0.5 : -0.5, 0] as const),
      after: Array.from({ length: tested }, (_, i) => [i % 2 ? 1 : -1, i % 2 ? 0.1 : 0.9] as const),
      labels: Array.from({ length: tested }, (_, i) => (i % 2 ? 'happy' : 'sad') as Emotion),
    });
    const s = summarise([result('A', 10, 0.5, 1), result('B', 30, 0.9, 0.8)]);
    expect(s.shippedAccuracy).toBeCloseTo((5 + 27) / 40, 10);
    expect(s.personalAccuracy).toBeCloseTo((10 + 24) / 40, 10);
    expect(s.meanSubjectGain).toBeCloseTo((0.5 - 0.1) / 2, 10);
    expect(s.worstSubjectDrop).toBeCloseTo(0.1, 10);
    expect(s.ccc.after.valence).toBeGreaterThan(s.ccc.before.valence);
  });

  test('subjects split alternately into a validation and a test half', () => {
    const ids = ['S005', 'S010', 'S011', 'S014', 'S022'];
    expect([...subjectHalf(ids, 'validation')]).toEqual(['S005', 'S011', 'S022']);
    expect([...subjectHalf(ids, 'test')]).toEqual(['S010', 'S014']);
    expect(subjectHalf(ids, 'all').size).toBe(5);
  });
});
