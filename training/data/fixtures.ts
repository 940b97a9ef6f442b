/**
 * Tiny dataset files written by the tests themselves (no binary fixtures in the repository): PNG and JPEG
 * through the same libraries the decoders use, TIFF written byte by byte so palette files can be made.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `circumplex-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function ensureParent(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
}

/** Gray PNG whose pixel (x, y) is `value(x, y)` (0..255). */
export function writeGrayPng(file: string, width: number, height: number, value: (x: number, y: number) => number): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const v = value(x, y);
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  ensureParent(file);
  writeFileSync(file, PNG.sync.write(png, { colorType: 0 }));
}

/** RGB PNG (colour type 2). */
export function writeRgbPng(file: string, width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const [r, g, b] = rgb(x, y);
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  ensureParent(file);
  writeFileSync(file, PNG.sync.write(png, { colorType: 2 }));
}

export function writeJpeg(file: string, width: number, height: number, value: (x: number, y: number) => number): void {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = value(i % width, Math.floor(i / width));
    data[4 * i] = v;
    data[4 * i + 1] = v;
    data[4 * i + 2] = v;
    data[4 * i + 3] = 255;
  }
  ensureParent(file);
  writeFileSync(file, jpeg.encode({ data, width, height }, 95).data);
}

/**
 * Uncompressed 8-bit TIFF, little-endian, one strip. With `palette` (256 [r, g, b] entries, 0..255) it is a
 * palette-colour file (PhotometricInterpretation 3) whose pixels are palette indices; otherwise BlackIsZero gray.
 */
export function writeTiff(
  file: string,
  width: number,
  height: number,
  pixels: Uint8Array,
  palette?: readonly (readonly [number, number, number])[],
): void {
  const entries: [tag: number, type: 3 | 4, count: number, value: number][] = [];
  const ifdOffset = 8;
  const tagCount = palette ? 10 : 9;
  const ifdEnd = ifdOffset + 2 + tagCount * 12 + 4;
  const mapOffset = ifdEnd;
  const stripOffset = palette ? mapOffset + 3 * 256 * 2 : ifdEnd;
  const SHORT = 3;
  const LONG = 4;
  entries.push([256, SHORT, 1, width], [257, SHORT, 1, height], [258, SHORT, 1, 8], [259, SHORT, 1, 1]);
  entries.push([262, SHORT, 1, palette ? 3 : 1], [273, LONG, 1, stripOffset], [277, SHORT, 1, 1]);
  entries.push([278, LONG, 1, height], [279, LONG, 1, width * height]);
  if (palette) entries.push([320, SHORT, 3 * 256, mapOffset]);
  const buf = Buffer.alloc(stripOffset + width * height);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(ifdOffset, 4);
  buf.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, count, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    buf.writeUInt16LE(tag, at);
    buf.writeUInt16LE(type, at + 2);
    buf.writeUInt32LE(count, at + 4);
    if (type === SHORT && count === 1) buf.writeUInt16LE(value, at + 8);
    else buf.writeUInt32LE(value, at + 8);
  });
  buf.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12);
  if (palette) {
    // TIFF colour maps hold 16-bit values: all reds, then all greens, then all blues.
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 256; i++) buf.writeUInt16LE((palette[i]?.[c] ?? 0) * 257, mapOffset + 2 * (c * 256 + i));
    }
  }
  Buffer.from(pixels).copy(buf, stripOffset);
  ensureParent(file);
  writeFileSync(file, buf);
}

export function writeText(file: string, text: string): void {
  ensureParent(file);
  writeFileSync(file, text);
}
