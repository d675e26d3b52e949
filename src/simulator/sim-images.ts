// Generated JPEGs for the camera simulator (jpeg-js: a pure-JS encoder, nothing to
// compile): a "frame" of roughly the requested size and a plate-like crop — white plate,
// dark border and character-like bars — so thumbnails look like something.
import jpeg from 'jpeg-js';

function encode(width: number, height: number, paint: (x: number, y: number) => [number, number, number], quality: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const i = (y * width + x) * 4;
      data[i] = r; data[i + 1] = g; data[i + 2] = b; data[i + 3] = 255;
    }
  }
  return jpeg.encode({ data, width, height }, quality).data;
}

export function plateJpeg(seed = 0): Buffer {
  return encode(160, 48, (x, y) => {
    if (x < 3 || y < 3 || x > 156 || y > 44) return [20, 20, 20];
    const glyph = Math.floor((x - 10) / 18);
    const inGlyph = x > 10 && x < 150 && (x - 10) % 18 < 12 && y > 10 && y < 38;
    const on = inGlyph && ((glyph * 7 + seed + (y >> 3)) % 3 !== 0);
    return on ? [15, 15, 25] : [245, 245, 240];
  }, 85);
}

/**
 * A noisy road-like frame of exactly `bytes` bytes (noise keeps JPEG from shrinking it):
 * encoded a little under the size, then padded with JPEG comment segments, which every
 * decoder skips.
 */
export function frameJpeg(bytes: number): Buffer {
  let pixels = Math.max(64 * 64, Math.round(bytes / 0.9));
  let jpg = road(pixels);
  for (let i = 0; i < 3 && (jpg.length > bytes || jpg.length < bytes * 0.9); i++) {
    pixels = Math.max(64 * 64, Math.round(pixels * (bytes / jpg.length) * 0.97));
    jpg = road(pixels);
  }
  return jpg.length < bytes ? padJpeg(jpg, bytes) : jpg;
}

function road(pixels: number): Buffer {
  const width = Math.max(64, Math.round(Math.sqrt(pixels * (16 / 9))));
  const height = Math.max(36, Math.round(pixels / width));
  let n = 12345;
  return encode(width, height, (x, y) => {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    const noise = n & 63;
    const road = y > height * 0.55 ? 70 : 140;
    return [road + noise, road + noise, road + 10 + noise];
  }, 92);
}

/** Inserts COM segments (FF FE, length, text) after SOI until the file is `bytes` long. */
function padJpeg(jpg: Buffer, bytes: number): Buffer {
  const parts: Buffer[] = [jpg.subarray(0, 2)];
  let missing = bytes - jpg.length;
  while (missing > 0) {
    // A segment is 4 bytes of marker and length plus its text (at most 65 533 bytes); keep
    // the last one at least 4 bytes long so the total comes out exact.
    const rest = missing - 65_537;
    const size = rest > 0 && rest < 4 ? missing - 4 : Math.min(missing, 65_537);
    const text = Math.max(0, size - 4);
    const seg = Buffer.alloc(4 + text, 0x20);
    seg[0] = 0xff; seg[1] = 0xfe; seg.writeUInt16BE(text + 2, 2);
    parts.push(seg);
    missing -= seg.length;
  }
  parts.push(jpg.subarray(2));
  return Buffer.concat(parts);
}
