import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ICON_ACCENT, ICON_BACKGROUND, ICON_FILES, iconSvg, renderIconPng } from './app-icons.ts';

const iconsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');

function pixel(png: PNG, x: number, y: number): string {
  const i = (y * png.width + x) * 4;
  const hex = (v: number | undefined): string => (v ?? 0).toString(16).padStart(2, '0');
  return `#${hex(png.data[i])}${hex(png.data[i + 1])}${hex(png.data[i + 2])}/${png.data[i + 3]}`;
}

describe('app icons', () => {
  it.each(ICON_FILES)('public/icons/$file is the current drawing at $size px', ({ file, size, maskable }) => {
    const committed = readFileSync(path.join(iconsDir, file));
    const png = PNG.sync.read(committed);
    expect([png.width, png.height]).toEqual([size, size]);
    expect(committed.equals(renderIconPng(size, maskable)), `${file} is stale: run npm run icons`).toBe(true);
  });

  it('draws a full-bleed background on maskable icons and rounded transparent corners on the others', () => {
    const maskable = PNG.sync.read(renderIconPng(64, true));
    const plain = PNG.sync.read(renderIconPng(64, false));
    expect(pixel(maskable, 0, 0)).toBe(`${ICON_BACKGROUND}/255`);
    expect(pixel(plain, 0, 0).endsWith('/0')).toBe(true);
    expect(pixel(plain, 32, 2)).toBe(`${ICON_BACKGROUND}/255`);
  });

  it('puts the readout dot in the pleasant-activated (upper right) quadrant, in the SVG and the PNG alike', () => {
    const png = PNG.sync.read(renderIconPng(100, false));
    // Dot centre: valence +0.5, arousal +0.45 on a ring of radius 0.34.
    expect(pixel(png, Math.round(50 + 0.5 * 34), Math.round(50 - 0.45 * 34))).toBe(`${ICON_ACCENT}/255`);
    expect(pixel(png, Math.round(50 - 0.5 * 34), Math.round(50 + 0.45 * 34))).toBe(`${ICON_BACKGROUND}/255`);
    expect(readFileSync(path.join(iconsDir, 'icon.svg'), 'utf8')).toBe(iconSvg());
  });
});
