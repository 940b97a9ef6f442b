import { describe, expect, it } from 'vitest';
import { largestFaceIndex } from './2-largest-face.ts';

const box = (width: number, height: number, score = 0.9) => ({ x: 0, y: 0, width, height, score });

describe('largestFaceIndex', () => {
  it('picks the face with the largest area, whatever its score or place in the list', () => {
    expect(largestFaceIndex([box(40, 40, 0.99), box(120, 100, 0.6), box(100, 110)])).toBe(1);
  });

  it('keeps the first of equal faces and answers -1 with none', () => {
    expect(largestFaceIndex([box(50, 50), box(50, 50)])).toBe(0);
    expect(largestFaceIndex([])).toBe(-1);
  });
});
