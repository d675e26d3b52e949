// Takes base64 images out of a camera message: decodes each once, hashes it, and returns
// the binary plus a reference. The caller stores the blobs before the record (docs/ARCHITECTURE.md).
import { createHash } from 'node:crypto';
import { gatewayError } from '../errors.js';
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
export const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?;base64,/;

function sniffContentType(data: Buffer): string {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (data.length >= 12 && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}

const notBase64 = (field: string) => gatewayError('IMAGE_NOT_BASE64', field);

function described(data: Buffer, field: string, name: string): DecodedImage {
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { data, ref: { name, field, content_type: sniffContentType(data), bytes: data.length, sha256 } };
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
  throw gatewayError('IMAGES_NOT_LIST', PLATE_CROPS_FIELD);
}

/**
 * Decodes every image in `body`. Missing or empty image fields are simply absent.
 * `lifted` holds single-image values taken out of the request as it arrived
 * (lift-images.ts); the body has "" there.
 */
export function decodeImages(body: Record<string, unknown>, lifted?: ReadonlyMap<string, { data: Buffer }>): DecodedImage[] {
  const images: DecodedImage[] = [];
  for (const field of SINGLE_IMAGE_FIELDS) {
    // Decoded while the request arrived (lift-images.ts): already valid base64.
    const image = lifted?.get(field);
    if (image) {
      images.push(described(image.data, field, field));
      continue;
    }
    const value = body[field];
    if (!present(value)) continue;
    if (typeof value !== 'string') {
      throw gatewayError('IMAGE_NOT_STRING', field);
    }
    images.push(decodeOne(value, field, field));
  }
  const crops = body[PLATE_CROPS_FIELD];
  if (present(crops)) {
    plateCrops(crops).forEach((crop, i) => {
      const field = `${PLATE_CROPS_FIELD}[${i}]`;
      if (!present(crop)) return;
      if (typeof crop !== 'string') {
        throw gatewayError('IMAGE_NOT_STRING', field);
      }
      images.push(decodeOne(crop, field, `cropped_plate_${i}`));
    });
  }
  return images;
}
