import { describe, expect, it } from 'vitest';
import { createStreamingGru } from '../../../core/streaming-gru.ts';
import { tinyGru } from '../test-gru.ts';
import { temporalReading } from './5-temporal.ts';

const cnn = { features: [1], va: { valence: 0.8, arousal: 0.2 } };

describe('temporalReading', () => {
  it('without a temporal model, the CNN’s own valence/arousal is the sample', () => {
    expect(temporalReading(undefined, cnn)).toEqual({ sample: cnn.va, temporal: undefined });
  });

  it('pushes the frame into the GRU and samples its output', () => {
    const gru = createStreamingGru(tinyGru, { window: 4, states: 4 });
    const reading = temporalReading(gru, cnn);
    expect(gru.frames).toBe(1);
    expect(reading.temporal!.valence).toBeCloseTo(0.5 * Math.tanh(2), 6);
    expect(reading.sample).toEqual(reading.temporal);
  });

  it('adds the personal correction to the sample, temporal or not, and leaves the temporal output as it is', () => {
    const vaCorrection = { valence: 0.3, arousal: -0.1 };
    const plain = temporalReading(createStreamingGru(tinyGru, { window: 4, states: 4 }), cnn);
    const corrected = temporalReading(createStreamingGru(tinyGru, { window: 4, states: 4 }), { ...cnn, vaCorrection });
    expect(corrected.temporal).toEqual(plain.temporal);
    expect(corrected.sample.valence).toBeCloseTo(plain.sample.valence + 0.3, 6);
    expect(temporalReading(undefined, { ...cnn, vaCorrection }).sample.arousal).toBeCloseTo(0.1, 6);
  });
});
