import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, test } from 'vitest';
import { EMOTIONS } from '../../src/core/emotions.ts';
import { heatColour, renderConfusionPng, writeConfusionJson } from './confusion-report.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'confusion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LABELS = ['neutral', 'happy', 'sad'];
const MATRIX = [
  [8, 2, 0],
  [1, 9, 0],
  [0, 0, 0],
];

describe('confusion reports', () => {
  test('JSON holds counts, row fractions, total and accuracy', () => {
    const file = path.join(dir, 'nested', 'confusion.json');
    writeConfusionJson(MATRIX, LABELS, file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { rowNormalised: number[][]; total: number; accuracy: number; labels: string[] };
    expect(json.labels).toEqual(LABELS);
    expect(json.rowNormalised).toEqual([
      [0.8, 0.2, 0],
      [0.1, 0.9, 0],
      [0, 0, 0],
    ]);
    expect(json.total).toBe(20);
    expect(json.accuracy).toBeCloseTo(17 / 20, 12);
  });

  test('PNG: a heatmap whose cell colours follow the row fractions, with text drawn in them', () => {
    const file = path.join(dir, 'confusion.png');
    renderConfusionPng(MATRIX, LABELS, 'FER+ test (synthetic)', file);
    const png = PNG.sync.read(readFileSync(file));
    const px = (x: number, y: number) => {
      const o = (y * png.width + x) * 4;
      return [png.data[o], png.data[o + 1], png.data[o + 2]];
    };
    // Find cell colours by scanning for the exact heat colours of 0.9 (dark) and 0.1 (light) fractions.
    const count = (c: readonly number[]) => {
      let n = 0;
      for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (px(x, y).every((v, i) => v === c[i])) n++;
      return n;
    };
    expect(count(heatColour(0.9))).toBeGreaterThan(500);
    expect(count(heatColour(0.8))).toBeGreaterThan(500);
    expect(count(heatColour(0.1))).toBeGreaterThan(500);
    expect(png.width).toBeGreaterThan(200);
    expect(png.height).toBeGreaterThan(150);
  });

  test('renders the 8 canonical classes and rejects a matrix that does not match its labels', () => {
    const m = EMOTIONS.map((_, i) => EMOTIONS.map((__, j) => (i === j ? 120 + i : (i * 7 + j * 3) % 11)));
    renderConfusionPng(m, EMOTIONS, 'Efficient CNN, FER+ test', path.join(dir, 'eight.png'));
    expect(() => renderConfusionPng(MATRIX, ['a', 'b'], 't', path.join(dir, 'x.png'))).toThrow(/matrix must be 2x2 to match the labels/);
    expect(() =>
      writeConfusionJson(
        [
          [1, -1],
          [0, 1],
        ],
        ['a', 'b'],
        path.join(dir, 'x.json'),
      ),
    ).toThrow(/negative or non-finite count/);
  });
});
