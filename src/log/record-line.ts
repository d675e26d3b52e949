// A record's one form (docs/EVIDENCE.md §1): one line of UTF-8 JSON, rendered once when it
// is appended and never again. The same bytes are stored, published on the local broker,
// sent upstream, forwarded, exported and verified.
//
//   {"hash":"<64 hex>","seq":N,"prev_hash":"<64 hex>","detection_id":"…","kind":"detection",…}
//
// `hash` is the SHA-256 of the same line with its hash member taken out — `{` followed by
// everything after `"hash":"<64 hex>",` — so any verifier hashes bytes it already has,
// with no canonical JSON. The first three members are always in this order and form.
import { createHash } from 'node:crypto';
import { ID_MEMBER, type ImageRef, type NewRecord, type RecordKind, type StoredRecord, type Transport } from './record.js';
import { utf8Bytes } from './utf8-slab.js';

/** prev_hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** `{"hash":"` + 64 hex + `",`: what a verifier strips before hashing. */
export const HASH_PREFIX_BYTES = 75;

/** Members the log writes itself (and the record's id under its kind's name): a kind's data never supplies them. */
const HEADER = new Set(['hash', 'seq', 'prev_hash', 'kind', 'gateway_id', 'camera_id', 'checkpoint_id', 'timestamp', 'time', 'received_at', 'source']);

/**
 * The line after `"prev_hash":"…"`: `,` + the id under its kind's name, the gateway's
 * members, the kind's data members, and (for a record that holds images) `images` last,
 * `}`. Made when the record is appended, outside the log's one-at-a-time batch writer,
 * which then only prefixes hash, seq and prev_hash. The log writes `images` from the
 * references it counts, so the line and the counts cannot disagree.
 */
export function renderRest(r: NewRecord): Buffer {
  const head = JSON.stringify({
    [ID_MEMBER[r.kind]]: r.id, kind: r.kind, gateway_id: r.gateway_id, camera_id: r.camera_id, checkpoint_id: r.checkpoint_id,
    timestamp: r.timestamp, time: r.time, received_at: r.received_at, source: r.source,
  });
  const holds = holdsImages(r.kind);
  const data = JSON.stringify(withoutOwn(r.data, ID_MEMBER[r.kind], holds));
  const images = holds ? `,"images":${JSON.stringify(r.images.map(imageMember))}` : '';
  return utf8Bytes(`,${head.slice(1, -1)}${data.length > 2 ? `,${data.slice(1, -1)}` : ''}${images}}`);
}

const imageMember = (i: ImageRef) => ({ name: i.name, field: i.field, content_type: i.content_type, bytes: i.bytes, sha256: i.sha256, ...(i.topic ? { topic: i.topic } : {}) });

/** The data as it is, or (rarely) a copy without members the log writes: no line has a member twice. */
function withoutOwn(data: Record<string, unknown>, idMember: string, holds: boolean): Record<string, unknown> {
  const own = (k: string) => HEADER.has(k) || k === idMember || (holds && k === 'images');
  let clash = false;
  for (const k in data) if (own(k)) clash = true;
  if (!clash) return data;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(data)) {
    if (own(k)) continue;
    Object.defineProperty(out, k, { value: data[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The stored line of a record at `seq` after `prevHash`, and its hash. `unhashed` is for
 * the benchmark only (what the chain costs): the line gets 64 zeros for a hash.
 */
export function sealLine(rest: Buffer, seq: number, prevHash: string, unhashed = false): { line: Buffer; hash: string } {
  const hashed = Buffer.from(`{"seq":${seq},"prev_hash":"${prevHash}"`);
  const hash = unhashed ? GENESIS_HASH : createHash('sha256').update(hashed).update(rest).digest('hex');
  return { line: Buffer.concat([Buffer.from(`{"hash":"${hash}",`), hashed.subarray(1), rest]), hash };
}

const LINE_HEAD = /^\{"hash":"([0-9a-f]{64})","seq":([1-9][0-9]{0,15}),"prev_hash":"([0-9a-f]{64})"[,}]/;

/** hash, seq and prev_hash of a line, read from its fixed head; undefined when it has none. */
export function lineHead(line: Buffer | string): { hash: string; seq: number; prevHash: string } | undefined {
  const text = typeof line === 'string' ? line.slice(0, 180) : line.subarray(0, 180).toString('latin1');
  const m = LINE_HEAD.exec(text);
  return m ? { hash: m[1]!, seq: Number(m[2]), prevHash: m[3]! } : undefined;
}

/** SHA-256 of a line without its hash member (what its `hash` must equal). */
export function hashOfLine(line: Buffer): string {
  return createHash('sha256').update('{').update(line.subarray(HASH_PREFIX_BYTES)).digest('hex');
}

const STR = '("(?:[^"\\\\]|\\\\.)*")';
/** The header every line begins with, read without parsing the rest (see renderRest). */
const HEADER_RE = new RegExp(
  `^\\{"hash":"([0-9a-f]{64})","seq":(\\d+),"prev_hash":"([0-9a-f]{64})","\\w+":${STR},"kind":"(\\w+)","gateway_id":${STR},` +
  `"camera_id":${STR},"checkpoint_id":${STR},"timestamp":${STR},"time":${STR},"received_at":${STR},"source":"(\\w+)"`,
);
const unquote = (token: string): string => (token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1));
/** A holder's line whose images member is empty ends so (images are written last). */
const NO_IMAGES = Buffer.from(',"images":[]}');

/**
 * A record read from its line. The header members are read at once from the line's fixed
 * beginning; the rest (`data`, `images`) is parsed only when asked for. Most readers never
 * ask: the uplink's JSON lane and the local broker send the line as it is, so the drain
 * does not parse what it only passes on.
 */
class LineRecord implements StoredRecord {
  seq: number;
  hash: string;
  prev_hash: string;
  id: string;
  kind: RecordKind;
  gateway_id: string;
  camera_id: string;
  checkpoint_id: string;
  timestamp: string;
  time: string;
  received_at: string;
  source: Transport;
  private parsed: Members | undefined;
  /** The header as read (the kind's members follow it); undefined when the line had none. */
  private readonly header: string | undefined;

  constructor(readonly line: Buffer, private readonly imagesEvicted: boolean) {
    // The header is about 400 bytes: decode that much (a drain reads 20k lines a second,
    // and every string made here is garbage a moment later), more only when it is longer.
    const m = HEADER_RE.exec(line.toString('utf8', 0, Math.min(line.length, 640))) ?? HEADER_RE.exec(line.toString('utf8'));
    if (!m) {
      // Not this form's header (cannot happen for lines this version wrote): parse it all, once.
      const b = JSON.parse(line.toString('utf8')) as Record<string, unknown>;
      this.seq = b.seq as number;
      this.hash = b.hash as string;
      this.prev_hash = b.prev_hash as string;
      this.kind = b.kind as RecordKind;
      this.id = b[ID_MEMBER[this.kind]] as string;
      this.gateway_id = b.gateway_id as string;
      this.camera_id = b.camera_id as string;
      this.checkpoint_id = b.checkpoint_id as string;
      this.timestamp = b.timestamp as string;
      this.time = b.time as string;
      this.received_at = b.received_at as string;
      this.source = b.source as Transport;
      this.parsed = membersOf(b, this.kind, imagesEvicted);
      return;
    }
    this.hash = m[1]!;
    this.seq = Number(m[2]);
    this.prev_hash = m[3]!;
    this.id = unquote(m[4]!);
    this.kind = m[5] as RecordKind;
    this.gateway_id = unquote(m[6]!);
    this.camera_id = unquote(m[7]!);
    this.checkpoint_id = unquote(m[8]!);
    this.timestamp = unquote(m[9]!);
    this.time = unquote(m[10]!);
    this.received_at = unquote(m[11]!);
    this.source = m[12] as Transport;
    this.header = m[0];
  }

  /** The kind's members, parsed on first use from where the header ends. */
  private members(): Members {
    this.parsed ??= parseMembers(this.line, Buffer.byteLength(this.header!), holdsImages(this.kind), this.imagesEvicted);
    return this.parsed;
  }

  get data(): Record<string, unknown> {
    return this.members().data;
  }

  get images(): ImageRef[] {
    if (!this.parsed && (!holdsImages(this.kind) || this.line.subarray(-NO_IMAGES.length).equals(NO_IMAGES))) return [];
    return this.members().images;
  }

  get size(): number {
    return this.line.length + this.images.reduce((n, i) => n + (i.evicted ? 0 : i.bytes), 0);
  }

  /** As JSON: the record's members, as a plain object would give them. */
  toJSON(): Record<string, unknown> {
    const { imagesEvicted: _e, parsed: _p, header: _h, ...own } = this as unknown as Record<string, unknown>;
    return { ...own, data: this.data, images: this.images, size: this.size };
  }
}

interface Members {
  data: Record<string, unknown>;
  images: ImageRef[];
}

const IMAGES_MEMBER = ',"images":';

/**
 * The kind's members, parsed from where the header ends: each byte parsed once, nothing
 * copied. A holder's `images` is its last member (renderRest), so the last `,"images":`
 * in the line is it (inside a JSON string a quote is escaped, and nested camera objects
 * come before it).
 */
function parseMembers(line: Buffer, at: number, holds: boolean, imagesEvicted: boolean): Members {
  let rest = line.toString('utf8', at); // ',"m":…}' or '}'
  let images: ImageRef[] = [];
  if (holds) {
    const i = rest.lastIndexOf(IMAGES_MEMBER);
    if (i >= 0) {
      images = JSON.parse(rest.slice(i + IMAGES_MEMBER.length, -1)) as ImageRef[];
      rest = `${rest.slice(0, i)}}`;
    }
  }
  const data = JSON.parse(rest.length > 1 ? `{${rest.slice(1)}` : '{}') as Record<string, unknown>;
  return { data, images: markEvicted(images, imagesEvicted) };
}

const markEvicted = (images: ImageRef[], evicted: boolean): ImageRef[] => (evicted ? images.map((img) => ({ ...img, evicted: true })) : images);

/** The kind's members of a line parsed whole (a line without this form's header). */
function membersOf(body: Record<string, unknown>, kind: RecordKind, imagesEvicted: boolean): Members {
  const data: Record<string, unknown> = {};
  const holds = holdsImages(kind);
  const idMember = ID_MEMBER[kind];
  for (const k of Object.keys(body)) {
    if (HEADER.has(k) || k === idMember || (holds && k === 'images')) continue;
    if (k === '__proto__') Object.defineProperty(data, k, { value: body[k], enumerable: true, writable: true, configurable: true });
    else data[k] = body[k];
  }
  const images = holds && Array.isArray(body.images) ? (body.images as ImageRef[]) : [];
  return { data, images: markEvicted(images, imagesEvicted) };
}

/** The record a stored line holds. `imagesEvicted`: kept beside it by the log. */
export function decodeLine(line: Buffer, imagesEvicted = false): StoredRecord {
  return new LineRecord(line, imagesEvicted);
}

/** Whose `images` member lists files it holds: a detection's (an alert's points at its detection's). */
export const holdsImages = (kind: RecordKind): boolean => kind === 'detection';

/** A record as stored after sealing: the NewRecord with what the log assigned. */
export function storedRecord(r: NewRecord, seq: number, prevHash: string, sealed: { line: Buffer; hash: string }): StoredRecord {
  const size = sealed.line.length + r.images.reduce((n, i) => n + (i.evicted ? 0 : i.bytes), 0);
  return { ...r, seq, prev_hash: prevHash, hash: sealed.hash, line: sealed.line, size };
}
