// Takes the base64 images out of a camera body while its bytes arrive, decoding them on
// the way: a 1.5 MB image is never a 2 MB string, and the body is never held whole. Held
// whole, as chunks and then joined, with the decoded copy beside it, each image request
// kept about 5.5 MB alive — most of the gateway's RSS peak while images arrive (bench:soak).
//
// Only a plain case is lifted: a top-level object whose original_image/annotated_image
// member is a string of base64 (optionally after a data: URL prefix), at least `minBytes`
// long, given once, and no key anywhere at the top level written with an escape (which
// might spell an image field). A value that turns out otherwise is put back as it was, and
// anything unusual puts every value back: the text handed on is then the body itself. So
// the text, with the lifted values in place, is always exactly the body (without a BOM).
import { DATA_URL, SINGLE_IMAGE_FIELDS } from './decode-images.js';
import { imageBuffers } from './image-buffers.js';

const LIFTED: ReadonlySet<string> = new Set(SINGLE_IMAGE_FIELDS);

/** A lifted image value: its decoded bytes, and what is needed to write it as it came. */
export class LiftedImage {
  constructor(
    readonly data: Buffer,
    /** A data: URL prefix ("data:image/jpeg;base64,"), or "". */
    readonly prefix: string,
    /** The last group of the base64 text as sent, when it was padded or short ("QQ==", "QQ"). */
    readonly tail: string,
  ) {}

  /** The value exactly as the camera sent it. */
  text(): string {
    const tailBytes = [0, 0, 1, 2][this.tail.replace(/=+$/, '').length] ?? 0;
    return this.prefix + this.data.toString('base64', 0, this.data.length - tailBytes) + this.tail;
  }
}

/** A parsed camera body whose big image values were taken out, decoded. */
export class LiftedBody {
  constructor(
    readonly body: unknown,
    /** field → the lifted image; emptied once taken. */
    readonly images: Map<string, LiftedImage>,
  ) {}
}

const B = {
  Tab: 0x09, Lf: 0x0a, Cr: 0x0d, Space: 0x20, Quote: 0x22, Comma: 0x2c, Colon: 0x3a, Equals: 0x3d,
  OpenBracket: 0x5b, Backslash: 0x5c, CloseBracket: 0x5d, OpenBrace: 0x7b, CloseBrace: 0x7d,
} as const;

const isSpace = (b: number) => b === B.Space || b === B.Lf || b === B.Cr || b === B.Tab;
const isBareChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2d || c === 0x2e;
const BASE64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_CHAR[c.charCodeAt(0)] = 1;
/** Bytes of an image value looked at for a data: URL prefix before decoding starts. */
const HEAD_BYTES = 256;

/** An image value being taken out: decoded as it comes, or given up and written back. */
class Slot {
  head: Buffer[] = [];
  headBytes = 0;
  decoding = false;
  prefix = '';
  /** Base64 characters not yet decoded (fewer than 4), and '=' seen after them. */
  pending = '';
  padding = 0;
  written = 0;
  /** Bytes of the value so far (the prefix included), for the minimum size. */
  length = 0;
  lifted: LiftedImage | undefined;
  /** Set when the value is written back into the text. */
  restored: Buffer | undefined;

  constructor(readonly field: string, readonly out: Buffer) {}

  /** The value as sent so far (all of it, once finished). */
  textSoFar(): string {
    if (this.lifted) return this.lifted.text();
    const head = Buffer.concat(this.head).toString('latin1');
    return this.prefix + this.out.toString('base64', 0, this.written) + this.pending + '='.repeat(this.padding) + head;
  }
}

type State =
  | 'start' | 'open' | 'key-or-end' | 'key' | 'colon' | 'value' | 'image' | 'string' | 'string-escape'
  | 'container' | 'bare' | 'comma-or-end' | 'pass';

export class ImageLifter {
  private readonly pieces: (Buffer | Slot)[] = [];
  private state: State = 'start';
  private bomSeen = 0;
  private key: number[] = [];
  private readonly seen = new Set<string>();
  private slot: Slot | undefined;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private received = 0;

  /** `declared`: the body's Content-Length (an image's decoded size is at most ¾ of it). */
  constructor(private readonly declared: number, private readonly minBytes = 4096) {}

  push(chunk: Buffer): void {
    let from = 0; // start of the run of bytes that go to the text as they are
    let i = 0;
    this.received += chunk.length;
    // A BOM is not part of the text (JSON.parse refuses it; the ordinary path drops it).
    while (this.state === 'start' && i < chunk.length) {
      if (this.bomSeen < 3 && chunk[i] === BOM[this.bomSeen]) {
        this.bomSeen++;
        from = ++i;
        if (this.bomSeen === 3) this.state = 'open';
      } else if (this.bomSeen > 0) {
        // Part of one only: those bytes are text, and the body is not a plain case.
        this.pieces.push(BOM.subarray(0, this.bomSeen));
        this.fail();
      } else this.state = 'open';
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      switch (this.state) {
        case 'pass':
          i = chunk.length;
          break;
        case 'open':
          if (isSpace(b)) break;
          if (b === B.OpenBrace) this.state = 'key-or-end';
          else this.fail();
          break;
        case 'key-or-end':
          if (isSpace(b)) break;
          if (b === B.Quote) {
            this.key = [];
            this.state = 'key';
          } else if (b === B.CloseBrace) this.state = 'pass';
          else this.fail();
          break;
        case 'key':
          if (b === B.Backslash) this.fail();
          else if (b === B.Quote) this.state = 'colon';
          else if (this.key.length <= 32) this.key.push(b);
          break;
        case 'colon':
          if (isSpace(b)) break;
          if (b === B.Colon) this.state = 'value';
          else this.fail();
          break;
        case 'value': {
          if (isSpace(b)) break;
          const key = this.key.length <= 32 ? String.fromCharCode(...this.key) : '';
          if (LIFTED.has(key)) {
            // A second one would decide which value JSON.parse keeps: not a plain case.
            if (this.seen.has(key)) {
              this.fail();
              break;
            }
            this.seen.add(key);
            if (b === B.Quote) {
              this.pieces.push(Buffer.from(chunk.subarray(from, i + 1)));
              from = i + 1;
              const room = Math.max(0, this.declared - this.received + chunk.length - i);
              this.slot = new Slot(key, imageBuffers.take(Math.ceil(room / 4) * 3 + 3));
              this.pieces.push(this.slot);
              this.state = 'image';
              break;
            }
          }
          this.startValue(b);
          break;
        }
        case 'image': {
          // What the slot took is not text (a value given back is, through the slot).
          from = this.image(chunk, i);
          // Read on from there, except past a closing quote the lifted value ended at.
          i = (this.state as State) === 'comma-or-end' ? from : from - 1;
          break;
        }
        case 'string':
          if (b === B.Backslash) this.state = 'string-escape';
          else if (b === B.Quote) this.state = 'comma-or-end';
          break;
        case 'string-escape':
          this.state = 'string';
          break;
        case 'container':
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (b === B.Backslash) this.escaped = true;
            else if (b === B.Quote) this.inString = false;
          } else if (b === B.Quote) this.inString = true;
          else if (b === B.OpenBrace || b === B.OpenBracket) this.depth++;
          else if ((b === B.CloseBrace || b === B.CloseBracket) && --this.depth === 0) this.state = 'comma-or-end';
          break;
        case 'bare':
          if (isBareChar(b)) break;
          this.state = 'comma-or-end';
          i--; // this byte ends the value: read it again as what follows
          break;
        case 'comma-or-end':
          if (isSpace(b)) break;
          if (b === B.Comma) this.state = 'key-or-end';
          else if (b === B.CloseBrace) this.state = 'pass';
          else this.fail();
          break;
      }
    }
    // A whole chunk is kept as it is; a part is copied, so as not to hold the rest of it.
    if (from === 0) this.pieces.push(chunk);
    else if (from < chunk.length) this.pieces.push(Buffer.from(chunk.subarray(from)));
  }

  /**
   * The body's text with the lifted values cut to "", and those values; no images when
   * nothing was lifted (the text is then the whole body, without a BOM).
   */
  end(): { text: string; images: Map<string, LiftedImage> } {
    if (this.state !== 'pass') this.fail(); // a body that ended early is the ordinary path's to refuse
    const images = new Map<string, LiftedImage>();
    for (const p of this.pieces) if (p instanceof Slot && p.lifted) images.set(p.field, p.lifted);
    return { text: this.text(), images };
  }

  /** The whole body as text (without a BOM), every value in place. */
  whole(): string {
    this.fail();
    return this.text();
  }

  private text(): string {
    return Buffer.concat(this.pieces.map((p) => (p instanceof Slot ? (p.restored ?? EMPTY) : p))).toString('utf8');
  }

  /** Not a plain case: every value goes back into the text, and the rest passes as it is. */
  private fail(): void {
    for (const p of this.pieces) if (p instanceof Slot && !p.restored) this.restore(p);
    this.slot = undefined;
    this.state = 'pass';
  }

  private restore(slot: Slot): void {
    slot.restored = Buffer.from(slot.textSoFar(), 'latin1');
    slot.lifted = undefined;
  }

  private startValue(b: number): void {
    if (b === B.Quote) this.state = 'string';
    else if (b === B.OpenBrace || b === B.OpenBracket) {
      this.state = 'container';
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
    } else if (isBareChar(b)) this.state = 'bare';
    else this.fail();
  }

  /** Takes image content from chunk[i…]; returns where the slot's part ends. */
  private image(chunk: Buffer, i: number): number {
    const slot = this.slot!;
    let j = i;
    if (!slot.decoding) {
      // The first bytes wait until it is known whether a data: URL prefix leads.
      while (j < chunk.length && slot.headBytes < HEAD_BYTES && isPlain(chunk[j]!)) j++;
      if (j > i) {
        slot.head.push(Buffer.from(chunk.subarray(i, j)));
        slot.headBytes += j - i;
      }
      if (j === chunk.length && slot.headBytes < HEAD_BYTES) return j;
      const head = Buffer.concat(slot.head);
      slot.head = [];
      slot.headBytes = 0;
      slot.decoding = true;
      const url = DATA_URL.exec(head.toString('latin1'));
      slot.prefix = url ? url[0] : '';
      slot.length = slot.prefix.length;
      const rest = this.decode(slot, head, slot.prefix.length, head.length);
      if (rest < head.length) {
        // Not base64: the value goes back, head and all, and is read on as a string.
        slot.head = [head.subarray(rest)];
        return this.giveBack(slot, j);
      }
    }
    const end = this.decode(slot, chunk, j, chunk.length);
    if (end === chunk.length) return end;
    if (chunk[end] === B.Quote && this.finish(slot)) {
      this.slot = undefined;
      this.state = 'comma-or-end';
      return end; // the closing quote is text
    }
    return this.giveBack(slot, end);
  }

  /** Decodes base64 from buf[from, to) into the slot; returns where it stopped. */
  private decode(slot: Slot, buf: Buffer, from: number, to: number): number {
    let j = from;
    if (slot.padding === 0) {
      while (j < to && BASE64_CHAR[buf[j]!]) j++;
      if (j > from) {
        const all = slot.pending + buf.toString('latin1', from, j);
        const whole = all.length - (all.length % 4);
        if (whole > 0) slot.written += slot.out.write(all.slice(0, whole), slot.written, 'base64');
        slot.pending = all.slice(whole);
        slot.length += j - from;
      }
    }
    // '=' pads the last group only: after two characters of it, two; after three, one.
    while (j < to && buf[j] === B.Equals && slot.pending.length >= 2 && slot.pending.length + slot.padding < 4) {
      slot.padding++;
      slot.length++;
      j++;
    }
    return j;
  }

  /** The value ended: lifted when it is whole base64 and big enough, else given back. */
  private finish(slot: Slot): boolean {
    const chars = slot.pending.length;
    if (chars === 1 || (slot.padding > 0 && chars + slot.padding !== 4) || slot.length < this.minBytes) return false;
    const tail = chars > 0 ? slot.pending + '='.repeat(slot.padding) : '';
    if (tail) slot.written += slot.out.write(tail, slot.written, 'base64');
    slot.lifted = new LiftedImage(slot.out.subarray(0, slot.written), slot.prefix, tail);
    return true;
  }

  /** The value is not lifted: what was taken goes back, and the rest is read as a string. */
  private giveBack(slot: Slot, at: number): number {
    this.restore(slot);
    this.slot = undefined;
    this.state = 'string';
    return at;
  }
}

const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Printable ASCII other than quote and backslash: content any JSON string may hold. */
const isPlain = (b: number) => b >= 0x20 && b <= 0x7e && b !== B.Quote && b !== B.Backslash;
