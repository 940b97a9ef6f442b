/**
 * An image turned about its centre, as a camera sees a head tilted by `degrees` (positive = clockwise on screen):
 * same size, bilinear, pixels from outside the source repeat its nearest edge pixel. For measuring how crops
 * hold up when faces tilt (training/cli/level-eyes.ts).
 */
import { toGray, type RawImage } from '../../src/core/preprocess.ts';

export function turnImage(image: RawImage, degrees: number): RawImage {
  if (!Number.isFinite(degrees)) throw new Error(`turnImage: degrees must be finite, got ${degrees}`);
  const gray = toGray(image);
  const { width: w, height: h, data } = gray;
  const out = new Uint8ClampedArray(w * h);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const at = (x: number, y: number): number => data[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))] ?? 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // The output pixel's centre, turned back by -degrees into the source.
      const dx = x + 0.5 - w / 2;
      const dy = y + 0.5 - h / 2;
      const sx = cos * dx + sin * dy + w / 2 - 0.5;
      const sy = -sin * dx + cos * dy + h / 2 - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const tx = sx - x0;
      const ty = sy - y0;
      const top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx;
      const bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx;
      out[y * w + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return { data: out, width: w, height: h, channels: 1 };
}
