/**
 * Draws the Teams app icons (a speech bubble holding rising bars: coaching conversations that
 * lead to measurable change) and writes them as PNG files using only Node's zlib.
 *
 * Run after compiling: `node dist/manifest/icons.js` writes manifest/color.png and manifest/outline.png.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** Accent colour shared with manifest.template.json (`accentColor`). */
export const ACCENT_RGB: readonly [number, number, number] = [0x0f, 0x6c, 0x5c];

type Point = readonly [number, number];

/** A raster image: `channels` is 3 (RGB) or 4 (RGBA), 8 bits each, rows top to bottom. */
export interface Raster {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes a raster as a non-interlaced 8-bit PNG (colour type 2 for RGB, 6 for RGBA). */
export function encodePng(image: Raster): Buffer {
  const { width, height, channels, pixels } = image;
  if (pixels.length !== width * height * channels) {
    throw new Error(`pixel buffer has ${pixels.length} bytes, expected ${width * height * channels}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive
  ihdr[12] = 0; // no interlace

  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None: the images are tiny, compression barely matters
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Signed distance to a rounded rectangle (negative inside). */
function roundedRectDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number, r: number): number {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(px - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(py - cy) - ((y1 - y0) / 2 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** Signed distance to a simple polygon (negative inside). */
function polygonDistance(px: number, py: number, poly: readonly Point[]): number {
  let best = Infinity;
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ax, ay] = poly[i] as Point;
    const [bx, by] = poly[j] as Point;
    const ex = bx - ax;
    const ey = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(px - (ax + ex * t), py - (ay + ey * t)));
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? -best : best;
}

/** Fraction of a pixel covered by `inside`, from a 4x4 grid of samples (anti-aliasing). */
function coverage(x: number, y: number, inside: (px: number, py: number) => boolean): number {
  const n = 4;
  let hits = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      if (inside(x + (sx + 0.5) / n, y + (sy + 0.5) / n)) hits++;
    }
  }
  return hits / (n * n);
}

interface Bar {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

/** The bubble (rounded body plus tail) and the three bars, in a box of `size` pixels. */
function geometry(size: number, design: 'color' | 'outline') {
  const s = (v: number) => (v * size) / 192;
  if (design === 'color') {
    return {
      body: [s(34), s(40), s(158), s(130), s(24)] as const,
      // The tail starts well inside the body so the outline stroke has no seam at the join.
      tail: [[s(56), s(100)], [s(96), s(100)], [s(46), s(160)]] as Point[],
      bars: [
        { x0: s(58), x1: s(78), top: s(90), bottom: s(112) },
        { x0: s(86), x1: s(106), top: s(74), bottom: s(112) },
        { x0: s(114), x1: s(134), top: s(56), bottom: s(112) },
      ] as Bar[],
    };
  }
  return {
    body: [3, 4, 29, 22, 5] as const,
    tail: [[7, 14], [16, 14], [6, 29]] as Point[],
    bars: [
      { x0: 9, x1: 12, top: 14, bottom: 18 },
      { x0: 14, x1: 17, top: 11, bottom: 18 },
      { x0: 19, x1: 22, top: 8, bottom: 18 },
    ] as Bar[],
  };
}

function bubbleDistance(px: number, py: number, g: ReturnType<typeof geometry>): number {
  const [x0, y0, x1, y1, r] = g.body;
  return Math.min(roundedRectDistance(px, py, x0, y0, x1, y1, r), polygonDistance(px, py, g.tail));
}

function inBars(px: number, py: number, bars: Bar[]): boolean {
  return bars.some((b) => px >= b.x0 && px < b.x1 && py >= b.top && py < b.bottom);
}

/** 192x192 opaque colour icon: white bubble with accent bars on a full-bleed accent background. */
export function renderColorIcon(size = 192): Raster {
  const g = geometry(size, 'color');
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bubble = coverage(x, y, (px, py) => bubbleDistance(px, py, g) <= 0);
      const bars = coverage(x, y, (px, py) => inBars(px, py, g.bars));
      const white = bubble * (1 - bars);
      for (let c = 0; c < 3; c++) {
        const accent = ACCENT_RGB[c] as number;
        pixels[(y * size + x) * 3 + c] = Math.round(accent + (255 - accent) * white);
      }
    }
  }
  return { width: size, height: size, channels: 3, pixels };
}

/** 32x32 outline icon: white strokes and bars on a transparent background. */
export function renderOutlineIcon(): Raster {
  const size = 32;
  const stroke = 2;
  const g = geometry(size, 'outline');
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const alpha = coverage(x, y, (px, py) => {
        const d = bubbleDistance(px, py, g);
        return (d <= 0 && d >= -stroke) || inBars(px, py, g.bars);
      });
      const i = (y * size + x) * 4;
      pixels[i] = 255;
      pixels[i + 1] = 255;
      pixels[i + 2] = 255;
      pixels[i + 3] = Math.round(alpha * 255);
    }
  }
  return { width: size, height: size, channels: 4, pixels };
}

/** The manifest folder in the source tree: beside this file, above dist/, or under the working directory. */
export function manifestSourceDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '..', '..', 'manifest'), path.resolve('manifest')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'manifest.template.json')));
  if (!found) throw new Error(`manifest.template.json not found in ${candidates.join(' or ')}`);
  return found;
}

/** Writes color.png and outline.png into `dir` and returns their paths. */
export function writeIcons(dir = manifestSourceDir()): string[] {
  const files: Array<[string, Raster]> = [
    ['color.png', renderColorIcon()],
    ['outline.png', renderOutlineIcon()],
  ];
  return files.map(([name, image]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, encodePng(image));
    return file;
  });
}

if (require.main === module) {
  for (const file of writeIcons()) console.log(file);
}
