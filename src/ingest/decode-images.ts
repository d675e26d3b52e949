// Takes base64 images out of a camera message: decodes each once, hashes it, and returns
// the binary plus a reference. The caller stores the blobs before the record (DESIGN.md).
import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';
import type { ImageRef } from '../log/record.js';

export interface DecodedImage {
  ref: ImageRef;
  data: Buffer;
}

/** Single-image fields, in the order they are published. */
export const SINGLE_IMAGE_FIELDS = ['original_image', 'annotated_image'] as const;
const PLATE_CROPS_FIELD = 'cropped_plates';
/** All fields that carry images; removed from the raw record once decoded. */
export const IMAGE_FIELDS: readonly string[] = [...SINGLE_IMAGE_FIELDS, PLATE_CROPS_FIELD];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?;base64,/;

function sniffContentType(data: Buffer): string {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}

const notBase64 = (field: string) => new GatewayError('INVALID_IMAGE', `${field} is not valid base64`, {
  fields: [{ path: field, message: 'not valid base64' }],
});

function described(data: Buffer, field: string, name: string): DecodedImage {
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { data, ref: { name, field, content_type: sniffContentType(data), bytes: data.length, sha256 } };
}

/** Base64 text in pieces of this many characters (a multiple of 4: each decodes alone). */
const PIECE = 64 * 1024;
const BASE64_PIECE = /^[A-Za-z0-9+/]*$/;

/**
 * A lifted value (plain printable ASCII, see lift-images.ts) decoded straight from the
 * request's bytes, a piece at a time: no 2 MB string of the whole value is made (such a
 * string is a large object V8 keeps until a collection that may be far off), and the
 * result is what decodeOne gives for the same text.
 */
function decodeLifted(bytes: Buffer, field: string): DecodedImage {
  const head = bytes.toString('latin1', 0, Math.min(bytes.length, 256));
  const dataUrl = DATA_URL.exec(head);
  const start = dataUrl ? dataUrl[0].length : 0;
  const length = bytes.length - start;
  if (length % 4 === 1) throw notBase64(field);
  const out = Buffer.allocUnsafe(Math.ceil(length / 4) * 3);
  let written = 0;
  for (let a = start; a < bytes.length; a += PIECE) {
    const b = Math.min(a + PIECE, bytes.length);
    const piece = bytes.toString('latin1', a, b);
    if (!(b === bytes.length ? BASE64 : BASE64_PIECE).test(piece)) throw notBase64(field);
    written += out.write(piece, written, 'base64');
  }
  return described(out.subarray(0, written), field, field);
}

function decodeOne(value: string, field: string, name: string): DecodedImage {
  let text = value;
  const dataUrl = DATA_URL.exec(text);
  if (dataUrl) text = text.slice(dataUrl[0].length);
  // base64.encodebytes() and MIME encoders wrap lines; tolerate that.
  if (text.includes('\n')) text = text.replace(/\r?\n/g, '');
  if (text.length % 4 === 1 || !BASE64.test(text)) throw notBase64(field);
  return described(Buffer.from(text, 'base64'), field, name);
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Parses cropped_plates, which may arrive as an array or as JSON text of one. */
function plateCrops(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // fall through to the error below
    }
  }
  if (typeof value === 'string') return [value];
  throw new GatewayError('INVALID_IMAGE', `${PLATE_CROPS_FIELD} must be a list of base64 images`, {
    fields: [{ path: PLATE_CROPS_FIELD, message: 'expected a list of base64 strings' }],
  });
}

/**
 * Decodes every image in `body`. Missing or empty image fields are simply absent.
 * `lifted` holds single-image values kept as bytes (lift-images.ts); the body has "" there.
 */
export function decodeImages(body: Record<string, unknown>, lifted?: ReadonlyMap<string, Buffer>): DecodedImage[] {
  const images: DecodedImage[] = [];
  for (const field of SINGLE_IMAGE_FIELDS) {
    const bytes = lifted?.get(field);
    if (bytes && bytes.length > 0) {
      images.push(decodeLifted(bytes, field));
      continue;
    }
    const value = body[field];
    if (!present(value)) continue;
    if (typeof value !== 'string') {
      throw new GatewayError('INVALID_IMAGE', `${field} must be a base64 string`, {
        fields: [{ path: field, message: 'expected a base64 string' }],
      });
    }
    images.push(decodeOne(value, field, field));
  }
  const crops = body[PLATE_CROPS_FIELD];
  if (present(crops)) {
    plateCrops(crops).forEach((crop, i) => {
      const field = `${PLATE_CROPS_FIELD}[${i}]`;
      if (!present(crop)) return;
      if (typeof crop !== 'string') {
        throw new GatewayError('INVALID_IMAGE', `${field} must be a base64 string`, {
          fields: [{ path: field, message: 'expected a base64 string' }],
        });
      }
      images.push(decodeOne(crop, field, `cropped_plate_${i}`));
    });
  }
  return images;
}
