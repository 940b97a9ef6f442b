import { describe, expect, it } from 'vitest';
import { checkOptim, ConfigError, CNN_DEFAULTS, learningRateAt, mergeConfig, PAPER_SGD, type OptimConfig } from './config.ts';

describe('learningRateAt', () => {
  it("is Keras' time-based decay by default, whatever the progress", () => {
    expect(learningRateAt(PAPER_SGD, 0)).toBe(0.01);
    expect(learningRateAt(PAPER_SGD, 1000, 0.9)).toBeCloseTo(0.01 / 1.01, 12);
  });

  it('cosine starts at the time-based rate, halves it mid-run and ends at 0', () => {
    const cosine: OptimConfig = { ...PAPER_SGD, decay: 0, schedule: 'cosine' };
    expect(learningRateAt(cosine, 0, 0)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(cosine, 50, 0.5)).toBeCloseTo(0.005, 12);
    expect(learningRateAt(cosine, 99, 1)).toBeCloseTo(0, 12);
    // Monotone down, and out-of-range progress is clamped rather than turning back up.
    const rates = [0, 0.1, 0.3, 0.6, 0.9, 1, 1.5].map((p) => learningRateAt(cosine, 0, p));
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
    expect(learningRateAt(cosine, 0, -1)).toBeCloseTo(0.01, 12);
    // The time-based decay still applies underneath.
    expect(learningRateAt({ ...cosine, decay: 1e-2 }, 100, 0.5)).toBeCloseTo(0.0025, 12);
  });

  it('takes the schedule from a flag, and rejects one it does not know', () => {
    const config = mergeConfig(CNN_DEFAULTS, [], { 'optim.schedule': 'cosine' });
    expect(config.optim).toEqual({ ...PAPER_SGD, schedule: 'cosine' });
    expect(() => checkOptim(config.optim)).not.toThrow();
    const typo = mergeConfig(CNN_DEFAULTS, [], { 'optim.schedule': 'cosin' });
    expect(() => checkOptim(typo.optim)).toThrow(ConfigError);
    expect(() => checkOptim(typo.optim)).toThrow(/time, cosine.*"cosin"/);
    expect(() => checkOptim({ ...PAPER_SGD, lr: 0 })).toThrow(/lr must be > 0/);
  });
});
