import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import UTIF from 'utif';
import type { RawImage } from '../../src/core/preprocess.ts';
import { DatasetError } from './errors.ts';

/**
 * Decodes PNG, JPEG and TIFF, chosen by the file's magic bytes (not its name). Gray images come back
 * with 1 channel so their 8-bit values reach preprocessing unchanged; colour images keep 3 or 4 channels
 * and are converted to gray by preprocessFace. `file` only names the source in errors.
 */
export function decodeImage(bytes: Uint8Array, file: string): RawImage {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return decodePng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes);
    if ((bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d)) return decodeTiff(bytes);
  } catch (e) {
    throw new DatasetError(file, `unreadable image (${e instanceof Error ? e.message : String(e)})`);
  }
  throw new DatasetError(file, 'unreadable image (not a PNG, JPEG or TIFF file)');
}

export async function readImage(file: string): Promise<RawImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DatasetError(file, `cannot read image (${e instanceof Error ? e.message : String(e)})`);
  }
  return decodeImage(bytes, file);
}

function decodePng(bytes: Uint8Array): RawImage {
  // pngjs always expands to RGBA 8-bit; its metadata says what the file really held.
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height, data } = png;
  if (!png.color) return { data: takeChannel(data, width * height, 0), width, height, channels: 1 };
  if (png.alpha) return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 };
  return { data: dropAlpha(data, width * height), width, height, channels: 3 };
}

function decodeJpeg(bytes: Uint8Array): RawImage {
  const { data, width, height } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return { data, width, height, channels: 3 };
}

/** PhotometricInterpretation values (TIFF 6.0, tag 262). */
const WHITE_IS_ZERO = 0;
const BLACK_IS_ZERO = 1;
const PALETTE = 3;

function decodeTiff(bytes: Uint8Array): RawImage {
  const ifds = UTIF.decode(bytes);
  const ifd = ifds[0];
  if (!ifd) throw new Error('TIFF has no image directory');
  UTIF.decodeImage(bytes, ifd, ifds);
  const { width, height } = ifd;
  if (!width || !height) throw new Error('TIFF has no width/height');
  const rgba = UTIF.toRGBA8(ifd);
  const photometric = Number(ifd.t262?.[0] ?? 2);
  // JAFFE mixes plain 8-bit gray files with palette files whose palette is a gray ramp: both are gray.
  const gray = photometric === WHITE_IS_ZERO || photometric === BLACK_IS_ZERO || (photometric === PALETTE && isGrayPalette(ifd.t320));
  if (gray) return { data: takeChannel(rgba, width * height, 0), width, height, channels: 1 };
  return { data: dropAlpha(rgba, width * height), width, height, channels: 3 };
}

/** TIFF ColorMap (tag 320): all red values, then all green, then all blue. */
function isGrayPalette(map: readonly (number | string)[] | undefined): boolean {
  if (!map || map.length % 3 !== 0) return false;
  const n = map.length / 3;
  for (let i = 0; i < n; i++) {
    if (map[i] !== map[n + i] || map[i] !== map[2 * n + i]) return false;
  }
  return true;
}

function takeChannel(rgba: ArrayLike<number>, pixels: number, channel: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) out[i] = rgba[4 * i + channel] ?? 0;
  return out;
}

function dropAlpha(rgba: ArrayLike<number>, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    out[3 * i] = rgba[j] ?? 0;
    out[3 * i + 1] = rgba[j + 1] ?? 0;
    out[3 * i + 2] = rgba[j + 2] ?? 0;
  }
  return out;
}
