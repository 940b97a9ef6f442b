/** Confusion matrices written for people and for tools: JSON, and a PNG heatmap with counts and row percentages. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmap-font.ts';

export interface ConfusionReport {
  readonly labels: readonly string[];
  /** counts[true][predicted] */
  readonly counts: readonly (readonly number[])[];
  /** Each row divided by its total (the recall view); an empty row stays zeros. */
  readonly rowNormalised: number[][];
  readonly total: number;
  readonly accuracy: number;
}

function checkMatrix(fn: string, matrix: readonly (readonly number[])[], labels: readonly string[]): void {
  if (matrix.length !== labels.length || matrix.some((row) => row.length !== labels.length)) {
    throw new Error(`${fn}: matrix must be ${labels.length}x${labels.length} to match the labels`);
  }
  if (matrix.some((row) => row.some((v) => !Number.isFinite(v) || v < 0))) {
    throw new Error(`${fn}: matrix holds a negative or non-finite count`);
  }
}

export function confusionReport(matrix: readonly (readonly number[])[], labels: readonly string[]): ConfusionReport {
  checkMatrix('confusionReport', matrix, labels);
  let total = 0;
  let diagonal = 0;
  const rowNormalised = matrix.map((row, i) => {
    const sum = row.reduce((s, v) => s + v, 0);
    total += sum;
    diagonal += row[i] ?? 0;
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
  return { labels, counts: matrix, rowNormalised, total, accuracy: total > 0 ? diagonal / total : 0 };
}

/** Writes the report as JSON (labels, counts, row-normalised, total, accuracy); creates the folder. */
export function writeConfusionJson(matrix: readonly (readonly number[])[], labels: readonly string[], file: string): ConfusionReport {
  const report = confusionReport(matrix, labels);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

type Rgb = readonly [number, number, number];

// ColorBrewer "Blues" end points, as matplotlib's confusion-matrix plots use.
const LIGHT: Rgb = [247, 251, 255];
const DARK: Rgb = [8, 48, 107];

export function heatColour(fraction: number): Rgb {
  const f = Math.max(0, Math.min(1, fraction));
  return [0, 1, 2].map((i) => Math.round((LIGHT[i] ?? 0) + ((DARK[i] ?? 0) - (LIGHT[i] ?? 0)) * f)) as unknown as Rgb;
}

const SCALE = 2;
const LINE = GLYPH_HEIGHT * SCALE;
const PAD = 6;
const MARGIN = 16;

function fit(text: string, maxWidth: number): string {
  let t = text;
  while (t.length > 1 && textWidth(t, SCALE) > maxWidth) t = t.slice(0, -1);
  return t;
}

/**
 * Draws the matrix as a heatmap coloured by row fraction, each cell showing its count and its percentage of the
 * row, with the labels on both axes, a title, and the accuracy. Returns the PNG bytes and writes them to `file`.
 */
export function renderConfusionPng(matrix: readonly (readonly number[])[], labels: readonly string[], title: string, file: string): Buffer {
  const report = confusionReport(matrix, labels);
  const k = labels.length;
  const maxLabel = Math.max(...labels.map((l) => textWidth(l, SCALE)), 0);
  const cellW =
    Math.max(
      textWidth('100.0%', SCALE),
      textWidth(String(Math.max(...matrix.flat(), 0)), SCALE),
      Math.min(maxLabel, textWidth('XXXXXXXX', SCALE)),
    ) +
    2 * PAD;
  const cellH = 2 * LINE + 3 * PAD;
  const gridLeft = MARGIN + maxLabel + 2 * PAD;
  const titleY = MARGIN;
  const captionY = titleY + LINE + PAD;
  const colLabelY = captionY + LINE + 2 * PAD;
  const gridTop = colLabelY + LINE + PAD;
  const footerY = gridTop + k * cellH + 2 * PAD;
  const caption = 'rows: true class, columns: predicted';
  const footer = `n = ${report.total}, accuracy = ${(100 * report.accuracy).toFixed(1)}%`;
  const width =
    Math.max(
      gridLeft + k * cellW,
      MARGIN + textWidth(title, SCALE),
      MARGIN + textWidth(caption, SCALE),
      MARGIN + textWidth(footer, SCALE),
    ) + MARGIN;
  const height = footerY + LINE + MARGIN;

  const png = new PNG({ width, height });
  const fill = (x0: number, y0: number, w: number, h: number, c: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        const o = (y * width + x) * 4;
        png.data[o] = c[0];
        png.data[o + 1] = c[1];
        png.data[o + 2] = c[2];
        png.data[o + 3] = 255;
      }
    }
  };
  const text = (s: string, x: number, y: number, c: Rgb) => drawText(s, x, y, SCALE, (px, py) => fill(px, py, 1, 1, c));
  const black: Rgb = [20, 20, 20];
  const white: Rgb = [255, 255, 255];

  fill(0, 0, width, height, white);
  text(title, MARGIN, titleY, black);
  text(caption, MARGIN, captionY, [90, 90, 90]);
  labels.forEach((label, j) => {
    const l = fit(label, cellW - 4);
    text(l, gridLeft + j * cellW + Math.floor((cellW - textWidth(l, SCALE)) / 2), colLabelY, black);
  });
  for (let i = 0; i < k; i++) {
    const label = labels[i] ?? '';
    const y = gridTop + i * cellH;
    text(label, gridLeft - PAD - textWidth(label, SCALE), y + Math.floor((cellH - LINE) / 2), black);
    for (let j = 0; j < k; j++) {
      const x = gridLeft + j * cellW;
      const f = report.rowNormalised[i]?.[j] ?? 0;
      fill(x, y, cellW, cellH, heatColour(f));
      const ink = f > 0.45 ? white : black;
      const count = String(matrix[i]?.[j] ?? 0);
      const pct = `${(100 * f).toFixed(1)}%`;
      text(count, x + Math.floor((cellW - textWidth(count, SCALE)) / 2), y + PAD, ink);
      text(pct, x + Math.floor((cellW - textWidth(pct, SCALE)) / 2), y + 2 * PAD + LINE, ink);
    }
  }
  // Grid lines over the cells.
  for (let i = 0; i <= k; i++) {
    fill(gridLeft, gridTop + i * cellH, k * cellW + 1, 1, [200, 200, 200]);
    fill(gridLeft + i * cellW, gridTop, 1, k * cellH + 1, [200, 200, 200]);
  }
  text(footer, MARGIN, footerY, black);

  const bytes = PNG.sync.write(png);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}
