/** Training curves as a standalone SVG: one panel per metric, epochs on x. */
import type { EpochRecord } from './checkpoint.ts';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/** Series to draw: train loss plus every validation metric found in the history. */
export function seriesOf(history: readonly EpochRecord[]): Map<string, [number, number][]> {
  const series = new Map<string, [number, number][]>();
  const push = (name: string, x: number, y: number): void => {
    if (!Number.isFinite(y)) return;
    const s = series.get(name) ?? [];
    s.push([x, y]);
    series.set(name, s);
  };
  for (const r of history) {
    push('train loss', r.epoch, r.trainLoss);
    for (const [k, v] of Object.entries(r.val)) push(`val ${k}`, r.epoch, v);
  }
  return series;
}

export function renderCurvesSvg(history: readonly EpochRecord[], title: string): string {
  const series = [...seriesOf(history)];
  const panelW = 360;
  const panelH = 200;
  const cols = 2;
  const rows = Math.max(1, Math.ceil(series.length / cols));
  const W = cols * panelW;
  const H = rows * panelH + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  series.forEach(([name, pts], i) => {
    const ox = (i % cols) * panelW;
    const oy = 30 + Math.floor(i / cols) * panelH;
    const l = ox + 45;
    const r = ox + panelW - 15;
    const t = oy + 20;
    const b = oy + panelH - 30;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs, x0 + 1);
    let y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    if (y1 - y0 < 1e-9) {
      y0 -= 0.5;
      y1 += 0.5;
    }
    const px = (x: number): number => l + ((x - x0) / (x1 - x0)) * (r - l);
    const py = (y: number): number => b - ((y - y0) / (y1 - y0)) * (b - t);
    parts.push(`<text x="${l}" y="${t - 6}" font-weight="bold">${escapeXml(name)}</text>`);
    parts.push(`<rect x="${l}" y="${t}" width="${r - l}" height="${b - t}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${l - 4}" y="${t + 4}" text-anchor="end">${y1.toPrecision(3)}</text>`);
    parts.push(`<text x="${l - 4}" y="${b}" text-anchor="end">${y0.toPrecision(3)}</text>`);
    parts.push(`<text x="${l}" y="${b + 14}">${x0}</text><text x="${r}" y="${b + 14}" text-anchor="end">epoch ${x1}</text>`);
    const d = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/>`);
    for (const p of pts)
      parts.push(`<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="2.5" fill="${COLORS[i % COLORS.length]}"/>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
