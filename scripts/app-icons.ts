/**
 * The app's icon, drawn in code so it needs no image tool: a circumplex (the valence/arousal plane) as a
 * ring with its two muted axes and a readout's trail ending in a dot in the pleasant-activated quadrant. The same geometry is written as
 * SVG (the favicon modern browsers use) and rasterised to the PNG sizes the web app manifest and iOS ask
 * for. Run `npm run icons` after changing it; a unit test checks the committed files match.
 */
import { PNG } from 'pngjs';

export const ICON_BACKGROUND = '#101217';
export const ICON_FOREGROUND = '#e8eaee';
export const ICON_ACCENT = '#3ddc97';
export const ICON_AXES = '#6b7482';

/** Every PNG the app ships: manifest icons (192, 512, maskable 512), the iOS home-screen icon and a small favicon. */
export const ICON_FILES = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  { file: 'favicon-32.png', size: 32, maskable: false },
] as const;

/**
 * Geometry in a unit square (0..1). A maskable icon is cropped by the platform to any shape inside the
 * centre 80% circle (W3C "safe zone"), so its drawing is shrunk to fit there and its background is full bleed.
 */
interface Geometry {
  readonly corner: number;
  readonly ringRadius: number;
  readonly ringWidth: number;
  readonly axisWidth: number;
  readonly axisLength: number;
  /** The trail, oldest first; the last is the current readout. */
  readonly dots: readonly { readonly x: number; readonly y: number; readonly r: number }[];
}

function geometry(maskable: boolean): Geometry {
  const k = maskable ? 0.8 : 1;
  return {
    corner: maskable ? 0 : 0.18,
    ringRadius: 0.34 * k,
    ringWidth: 0.045 * k,
    axisWidth: 0.03 * k,
    axisLength: 0.34 * k,
    // Readouts drifting from neutral towards valence +0.5, arousal +0.45 (on the ring's scale).
    dots: [
      { x: 0.5 + 0.1 * 0.34 * k, y: 0.5 - 0.02 * 0.34 * k, r: 0.03 * k },
      { x: 0.5 + 0.28 * 0.34 * k, y: 0.5 - 0.16 * 0.34 * k, r: 0.045 * k },
      { x: 0.5 + 0.5 * 0.34 * k, y: 0.5 - 0.45 * 0.34 * k, r: 0.085 * k },
    ],
  };
}

export function iconSvg(maskable = false): string {
  const g = geometry(maskable);
  const s = 512;
  const n = (v: number): string => String(Math.round(v * s * 100) / 100);
  const half = g.axisLength;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}">`,
    `<rect width="${s}" height="${s}" rx="${n(g.corner)}" fill="${ICON_BACKGROUND}"/>`,
    `<rect x="${n(0.5 - half)}" y="${n(0.5 - g.axisWidth / 2)}" width="${n(2 * half)}" height="${n(g.axisWidth)}" fill="${ICON_AXES}"/>`,
    `<rect x="${n(0.5 - g.axisWidth / 2)}" y="${n(0.5 - half)}" width="${n(g.axisWidth)}" height="${n(2 * half)}" fill="${ICON_AXES}"/>`,
    `<circle cx="${n(0.5)}" cy="${n(0.5)}" r="${n(g.ringRadius)}" fill="none" stroke="${ICON_FOREGROUND}" stroke-width="${n(g.ringWidth)}"/>`,
    ...g.dots.map((d) => `<circle cx="${n(d.x)}" cy="${n(d.y)}" r="${n(d.r)}" fill="${ICON_ACCENT}"/>`),
    '</svg>',
    '',
  ].join('\n');
}

function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Which layer covers the point (x, y) in unit coordinates: 0 none (transparent), 1 background, 2 ring, 3 trail, 4 axes. */
function layerAt(g: Geometry, x: number, y: number): number {
  // Rounded-square background: outside the corner circles is transparent.
  const cx = Math.min(Math.max(x, g.corner), 1 - g.corner);
  const cy = Math.min(Math.max(y, g.corner), 1 - g.corner);
  if (g.corner > 0 && (x - cx) ** 2 + (y - cy) ** 2 > g.corner ** 2) return 0;
  if (g.dots.some((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2)) return 3;
  const r = Math.hypot(x - 0.5, y - 0.5);
  if (Math.abs(r - g.ringRadius) <= g.ringWidth / 2) return 2;
  const horizontal = Math.abs(y - 0.5) <= g.axisWidth / 2 && Math.abs(x - 0.5) <= g.axisLength;
  const vertical = Math.abs(x - 0.5) <= g.axisWidth / 2 && Math.abs(y - 0.5) <= g.axisLength;
  return horizontal || vertical ? 4 : 1;
}

/** Rasterises the icon at `size` px with 4x4 supersampling (anti-aliased edges); returns PNG bytes. */
export function renderIconPng(size: number, maskable: boolean): Buffer {
  const g = geometry(maskable);
  const colours = [undefined, rgb(ICON_BACKGROUND), rgb(ICON_FOREGROUND), rgb(ICON_ACCENT), rgb(ICON_AXES)];
  const ss = 4;
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let gr = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = colours[layerAt(g, (px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size)];
          if (!c) continue;
          r += c[0];
          gr += c[1];
          b += c[2];
          covered++;
        }
      }
      const i = (py * size + px) * 4;
      // Colour averaged over covered samples (straight alpha), alpha = coverage.
      png.data[i] = covered ? Math.round(r / covered) : 0;
      png.data[i + 1] = covered ? Math.round(gr / covered) : 0;
      png.data[i + 2] = covered ? Math.round(b / covered) : 0;
      png.data[i + 3] = Math.round((255 * covered) / (ss * ss));
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}
