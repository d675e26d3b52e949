// Finds the base64 image values of a camera body in its bytes, so that a 1.5 MB image
// never becomes a 2 MB JS string. Such strings, still alive at a scavenge (the request
// body while JSON.parse runs, the value until it is decoded), move to V8's old
// large-object space and stay there until a full collection: they were most of the
// gateway's RSS peak while images arrive (bench:soak).
//
// Only a plain case is lifted: a top-level object whose original_image/annotated_image
// member is a string of printable ASCII with no escapes, given once, under a key with no
// escapes. Anything else returns undefined and the body is read the ordinary way. The
// remaining text differs from the body only inside those strings, and what was cut is
// valid string content, so it parses exactly when the body does.
import { SINGLE_IMAGE_FIELDS } from './decode-images.js';

const LIFTED: ReadonlySet<string> = new Set(SINGLE_IMAGE_FIELDS);

/** A parsed camera body whose big image values stayed bytes (base64 text, not decoded). */
export class LiftedBody {
  constructor(
    readonly body: unknown,
    /** field → base64 text as bytes; emptied once decoded. */
    readonly images: Map<string, Buffer>,
  ) {}
}

export interface Lifted {
  /** The body with each lifted value's content cut out ("original_image":""). */
  text: string;
  images: Map<string, Buffer>;
}

const B = {
  Tab: 0x09, Lf: 0x0a, Cr: 0x0d, Space: 0x20, Quote: 0x22, Comma: 0x2c, Colon: 0x3a,
  OpenBracket: 0x5b, Backslash: 0x5c, CloseBracket: 0x5d, OpenBrace: 0x7b, CloseBrace: 0x7d,
} as const;

const isSpace = (b: number | undefined) => b === B.Space || b === B.Lf || b === B.Cr || b === B.Tab;

function skipSpace(buf: Buffer, p: number): number {
  while (isSpace(buf[p])) p++;
  return p;
}

/** Index of the quote that closes the string opening at `p`, or -1. */
function stringEnd(buf: Buffer, p: number): number {
  for (let i = p + 1; i < buf.length; i++) {
    const b = buf[i];
    if (b === B.Backslash) i++;
    else if (b === B.Quote) return i;
  }
  return -1;
}

const isBareChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2d || c === 0x2e;

/** Index just past the value at `p` (not validated: JSON.parse does that), or -1. */
function valueEnd(buf: Buffer, p: number): number {
  const b = buf[p];
  if (b === B.Quote) {
    const end = stringEnd(buf, p);
    return end < 0 ? -1 : end + 1;
  }
  if (b === B.OpenBrace || b === B.OpenBracket) {
    let depth = 0;
    for (let i = p; i < buf.length; i++) {
      const c = buf[i];
      if (c === B.Quote) {
        i = stringEnd(buf, i);
        if (i < 0) return -1;
      } else if (c === B.OpenBrace || c === B.OpenBracket) depth++;
      else if (c === B.CloseBrace || c === B.CloseBracket) {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // A number or a literal: letters, digits, sign, point. A quote or bracket here ends it,
  // and the caller then finds no ',' or '}' and gives up.
  let i = p;
  while (i < buf.length && isBareChar(buf[i]!)) i++;
  return i > p ? i : -1;
}

/** Printable ASCII without quote or backslash: content that is valid inside any JSON string. */
function plainContent(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b < 0x20 || b > 0x7e || b === B.Backslash) return false;
  }
  return true;
}

/** Lifts image values of at least `minBytes` out of `body` (UTF-8 JSON), or undefined. */
export function liftImages(body: Buffer, minBytes = 4096): Lifted | undefined {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  let p = skipSpace(body, start);
  if (body[p] !== B.OpenBrace) return undefined;
  p = skipSpace(body, p + 1);
  const images = new Map<string, Buffer>();
  const seen = new Set<string>();
  const cuts: [number, number][] = [];
  while (body[p] !== B.CloseBrace) {
    if (body[p] !== B.Quote) return undefined;
    const keyEnd = stringEnd(body, p);
    if (keyEnd < 0) return undefined;
    const key = body.toString('latin1', p + 1, keyEnd);
    // An escaped key may spell an image field; leave such a body to the ordinary path.
    if (key.includes('\\')) return undefined;
    p = skipSpace(body, keyEnd + 1);
    if (body[p] !== B.Colon) return undefined;
    p = skipSpace(body, p + 1);
    const image = LIFTED.has(key);
    if (image) {
      // A second one would decide which value JSON.parse keeps: not a plain case.
      if (seen.has(key)) return undefined;
      seen.add(key);
    }
    const end = valueEnd(body, p);
    if (end < 0) return undefined;
    if (image && body[p] === B.Quote && end - p - 2 >= minBytes) {
      if (!plainContent(body, p + 1, end - 1)) return undefined;
      images.set(key, body.subarray(p + 1, end - 1));
      cuts.push([p + 1, end - 1]);
    }
    p = skipSpace(body, end);
    if (body[p] === B.Comma) p = skipSpace(body, p + 1);
    else if (body[p] !== B.CloseBrace) return undefined;
  }
  if (images.size === 0) return undefined;
  const pieces: Buffer[] = [];
  let from = start;
  for (const [a, b] of cuts) {
    pieces.push(body.subarray(from, a));
    from = b;
  }
  pieces.push(body.subarray(from));
  return { text: Buffer.concat(pieces).toString('utf8'), images };
}
