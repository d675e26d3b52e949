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

/** The record a stored line holds. `imagesEvicted`: kept beside it by the log. */
export function decodeLine(line: Buffer, imagesEvicted = false): StoredRecord {
  const body = JSON.parse(line.toString('utf8')) as Record<string, unknown>;
  const kind = body.kind as RecordKind;
  const data: Record<string, unknown> = {};
  const holds = holdsImages(kind);
  const idMember = ID_MEMBER[kind];
  for (const k of Object.keys(body)) {
    if (HEADER.has(k) || k === idMember || (holds && k === 'images')) continue;
    if (k === '__proto__') Object.defineProperty(data, k, { value: body[k], enumerable: true, writable: true, configurable: true });
    else data[k] = body[k];
  }
  const images = holds && Array.isArray(body.images) ? (body.images as ImageRef[]) : [];
  const live = imagesEvicted ? [] : images;
  return {
    seq: body.seq as number, hash: body.hash as string, prev_hash: body.prev_hash as string,
    id: body[ID_MEMBER[kind]] as string, kind, gateway_id: body.gateway_id as string,
    camera_id: body.camera_id as string, checkpoint_id: body.checkpoint_id as string,
    timestamp: body.timestamp as string, time: body.time as string, received_at: body.received_at as string, source: body.source as Transport,
    data, images: imagesEvicted ? images.map((i) => ({ ...i, evicted: true })) : images,
    size: line.length + live.reduce((n, i) => n + i.bytes, 0),
    line,
  };
}

/** Whose `images` member lists files it holds: a detection's (an alert's points at its detection's). */
export const holdsImages = (kind: RecordKind): boolean => kind === 'detection';

/** A record as stored after sealing: the NewRecord with what the log assigned. */
export function storedRecord(r: NewRecord, seq: number, prevHash: string, sealed: { line: Buffer; hash: string }): StoredRecord {
  const size = sealed.line.length + r.images.reduce((n, i) => n + (i.evicted ? 0 : i.bytes), 0);
  return { ...r, seq, prev_hash: prevHash, hash: sealed.hash, line: sealed.line, size };
}
