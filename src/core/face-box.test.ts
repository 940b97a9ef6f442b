import { describe, expect, it } from 'vitest';
import { toFaceBoxes } from './face-box.ts';

const det = (originX: number, originY: number, width: number, height: number, score: number) => ({
  boundingBox: { originX, originY, width, height },
  categories: [{ score }],
});

describe('toFaceBoxes', () => {
  it('keeps pixel coordinates and orders by score', () => {
    expect(toFaceBoxes([det(10, 20, 30, 40, 0.6), det(100, 50, 20, 20, 0.9)], 640, 480)).toEqual([
      { x: 100, y: 50, width: 20, height: 20, score: 0.9 },
      { x: 10, y: 20, width: 30, height: 40, score: 0.6 },
    ]);
  });

  it('clips boxes to the frame and drops boxes outside it', () => {
    expect(toFaceBoxes([det(-10, 460, 50, 40, 0.8), det(700, 10, 20, 20, 0.9)], 640, 480)).toEqual([
      { x: 0, y: 460, width: 40, height: 20, score: 0.8 },
    ]);
  });

  it('skips detections without a box', () => {
    expect(toFaceBoxes([{ categories: [{ score: 1 }] }], 640, 480)).toEqual([]);
  });
});
