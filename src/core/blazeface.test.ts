import { describe, expect, it, test } from 'vitest';
import {
  BLAZEFACE_INPUT_SIZE,
  blazefaceAnchors,
  blazefaceInput,
  decodeBlazeface,
  eyeRoll,
  letterboxFor,
  weightedNms,
} from './blazeface.ts';

const S = BLAZEFACE_INPUT_SIZE;

/** Network outputs with one confident anchor predicting a box of side `side` (input pixels) centred on the anchor. */
function outputsWithFace(anchor: number, side: number, logit = 5): { regressors: Float32Array; scores: Float32Array } {
  const regressors = new Float32Array(896 * 16);
  const scores = new Float32Array(896).fill(-10);
  regressors[anchor * 16 + 2] = side;
  regressors[anchor * 16 + 3] = side;
  scores[anchor] = logit;
  return { regressors, scores };
}

describe('blazefaceAnchors', () => {
  it('has 896 anchors: 16x16 cells x 2, then 8x8 cells x 6, centred in their cells', () => {
    const a = blazefaceAnchors();
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([0.5 / 16, 0.5 / 16, 0.5 / 16, 0.5 / 16]);
    expect([a[2 * 512], a[2 * 512 + 1]]).toEqual([0.5 / 8, 0.5 / 8]);
    expect([a[2 * 895], a[2 * 895 + 1]]).toEqual([7.5 / 8, 7.5 / 8]);
  });
});

describe('blazefaceInput', () => {
  it('letterboxes a landscape frame: centred rows, black (-1) bands above and below', () => {
    const image = { data: new Uint8Array(64 * 48).fill(255), width: 64, height: 48, channels: 1 as const };
    const { input, letterbox } = blazefaceInput(image);
    expect(letterbox).toEqual(letterboxFor(64, 48));
    expect(letterbox.top).toBeCloseTo(0.125);
    expect(input.length).toBe(S * S * 3);
    expect(input[0]).toBe(-1);
    expect(input[(64 * S + 64) * 3]).toBeCloseTo(1);
    expect(input[((S - 1) * S + 5) * 3 + 2]).toBe(-1);
  });

  it('keeps RGB order from RGBA and samples bilinearly', () => {
    const data = new Uint8Array(2 * 2 * 4);
    for (let i = 0; i < 4; i++) data.set([255, 0, 127.5, 255], i * 4);
    const { input } = blazefaceInput({ data, width: 2, height: 2, channels: 4 });
    const o = (60 * S + 60) * 3;
    expect(input[o]).toBeCloseTo(1);
    expect(input[o + 1]).toBeCloseTo(-1);
    expect(input[o + 2]).toBeCloseTo(0, 1);
  });

  it('rejects an empty or short image', () => {
    expect(() => blazefaceInput({ data: [], width: 0, height: 4, channels: 1 })).toThrow(/empty image/);
    expect(() => blazefaceInput({ data: [1, 2], width: 2, height: 2, channels: 1 })).toThrow(/expected 4/);
  });
});

describe('decodeBlazeface', () => {
  const square = { left: 0, top: 0, width: 1, height: 1 };

  it('maps an anchor box to source pixels, through the letterbox', () => {
    // Anchor 0 is centred at (4, 4) input pixels; a 16-pixel box there.
    const { regressors, scores } = outputsWithFace(0, 16);
    const [face] = decodeBlazeface(
      regressors,
      scores,
      square,
      { width: 256, height: 256 },
      { minScore: 0.5, nmsThreshold: 0.3, clip: false },
    );
    expect(face?.x).toBeCloseTo(-8);
    expect(face?.width).toBeCloseTo(32);
    expect(face?.score).toBeCloseTo(1 / (1 + Math.exp(-5)));
    expect(face?.keypoints).toHaveLength(6);
    const box = letterboxFor(256, 192);
    const big = outputsWithFace(0, 40);
    const [framed] = decodeBlazeface(big.regressors, big.scores, box, { width: 256, height: 192 }, { minScore: 0.5, nmsThreshold: 0.3 });
    // Clipped to the frame: left/top edges at 0; the bottom edge at (24 / 128 - 0.125) / 0.75 of the frame's height.
    expect(framed?.x).toBe(0);
    expect(framed?.y).toBe(0);
    expect(framed?.height).toBeCloseTo(16);
    expect(framed?.width).toBeCloseTo(48);
  });

  it('drops faces under the score threshold', () => {
    const { regressors, scores } = outputsWithFace(300, 30, -1);
    expect(decodeBlazeface(regressors, scores, square, { width: 128, height: 128 }, { minScore: 0.5, nmsThreshold: 0.3 })).toEqual([]);
  });
});

describe('weightedNms', () => {
  const det = (score: number, x0: number, x1: number) => ({ score, coords: Float32Array.from([x0, 0, x1, 1]) });

  it('merges overlapping detections into their score-weighted mean, keeping the best score', () => {
    const [merged, ...rest] = weightedNms([det(0.6, 0.1, 0.5), det(0.9, 0.12, 0.52)], 0.3);
    expect(rest).toEqual([]);
    expect(merged?.score).toBe(0.9);
    expect(merged?.coords[0]).toBeCloseTo((0.6 * 0.1 + 0.9 * 0.12) / 1.5);
  });

  it('keeps separate faces separate, best first', () => {
    const out = weightedNms([det(0.7, 0, 0.2), det(0.8, 0.6, 0.9)], 0.3);
    expect(out.map((d) => d.score)).toEqual([0.8, 0.7]);
  });
});

describe('eyeRoll', () => {
  test('the angle of the line from the right eye to the left eye, y down', () => {
    expect(
      eyeRoll([
        { x: 10, y: 20 },
        { x: 30, y: 20 },
      ]),
    ).toBe(0);
    expect(
      eyeRoll([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ]),
    ).toBeCloseTo(Math.PI / 4, 12);
    expect(
      eyeRoll([
        { x: 0, y: 10 },
        { x: 10, y: 0 },
      ]),
    ).toBeCloseTo(-Math.PI / 4, 12);
  });
  test('reads 0 without two distinct eye keypoints', () => {
    expect(eyeRoll([])).toBe(0);
    expect(eyeRoll([{ x: 3, y: 4 }])).toBe(0);
    expect(
      eyeRoll([
        { x: 3, y: 4 },
        { x: 3, y: 4 },
      ]),
    ).toBe(0);
  });
});
