// The hash chain over the log (docs/EVIDENCE.md): every record carries `hash`, the SHA-256
// of the canonical JSON of what was stored, and `prev_hash`, the hash of the record before
// it in seq order. What is hashed: the stored record with `prev_hash`, without `hash` and
// `size` (an estimate that eviction changes), and without each image's `evicted` flag —
// an evicted image is reported as evicted, not as tampered. Images are in it by SHA-256.
import { createHash } from 'node:crypto';
import { canonicalJson, quotedKey, sortedKeys } from './canonical-json.js';
import type { ImageRef, NewRecord, StoredRecord } from './record.js';
import { utf8Bytes } from './utf8-slab.js';

/** prev_hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

function withoutEvicted({ evicted: _evicted, ...image }: ImageRef): Omit<ImageRef, 'evicted'> {
  return image;
}

/** A record's hash (docs/EVIDENCE.md): one definition, for the chain and the verifier alike. */
export function recordHash(r: NewRecord & { seq: number; prev_hash: string }): string {
  return sha256Hex(assemble(prepareHash(r), r.seq, r.prev_hash));
}

/**
 * A record's hashed members except seq and prev_hash, as canonical `"key":value` text in
 * key order, cut where those two go: the members before prev_hash, those between it and
 * seq, those after seq (each run comma-joined, without braces; empty when none). Made
 * when the record is appended, outside the log's one-at-a-time batch writer, so that the
 * writer only splices in seq and prev_hash and hashes. Held as UTF-8 bytes, not strings:
 * they wait for the group commit, and strings built member by member are trees of small
 * heap objects that every young-generation collection in that wait would copy; the bytes
 * are also what the hash and LevelDB take, so nothing is encoded twice.
 */
export type HashedMembers = [beforePrevHash: Buffer, beforeSeq: Buffer, afterSeq: Buffer];

export function prepareHash(r: NewRecord): HashedMembers {
  // One string for all members, cut at the two places; each key quoted once per process.
  let text = '';
  let cutPrev = -1;
  let cutSeq = -1;
  for (const k of sortedKeys(r)) {
    if (k === 'hash' || k === 'size' || k === 'seq' || k === 'prev_hash') continue;
    const v = k === 'images' ? r.images.map(withoutEvicted) : (r as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (cutPrev < 0 && k > 'prev_hash') cutPrev = text.length;
    if (cutSeq < 0 && k > 'seq') cutSeq = text.length;
    const first = text.length === 0 || text.length === cutPrev || text.length === cutSeq;
    text += (first ? '' : ',') + quotedKey(k) + canonicalJson(v);
  }
  const end = text.length;
  if (cutPrev < 0) cutPrev = end;
  if (cutSeq < 0) cutSeq = end;
  return [utf8Bytes(text.slice(0, cutPrev)), utf8Bytes(text.slice(cutPrev, cutSeq)), utf8Bytes(text.slice(cutSeq))];
}

const OPEN = Buffer.from('{');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

/** The hashed text, as pieces: `members` with seq and prev_hash merged in at their key positions. */
function assemble(members: HashedMembers, seq: number, prevHash: string): Buffer[] {
  const [before, middle, after] = members;
  const pieces = [before, Buffer.from(`"prev_hash":${JSON.stringify(prevHash)}`), middle, Buffer.from(`"seq":${seq}`), after].filter((b) => b.length > 0);
  const out: Buffer[] = [OPEN];
  pieces.forEach((b, i) => {
    if (i > 0) out.push(COMMA);
    out.push(b);
  });
  out.push(CLOSE);
  return out;
}

/**
 * Links `stored` (in seq order) onto the chain after `prev`. Returns the new head and each
 * record's JSON as stored (UTF-8): the hashed text with `hash` and `size` added, so a
 * record is serialised once on the ingest path, not once to hash and again to store.
 * `prepared[i]`, when given, is prepareHash(stored[i]) made earlier.
 */
export function chain(stored: StoredRecord[], prev: string, prepared: (HashedMembers | undefined)[] = []): { head: string; encoded: Buffer[] } {
  let head = prev;
  const encoded: Buffer[] = [];
  stored.forEach((r, i) => {
    r.prev_hash = head;
    const text = assemble(prepared[i] ?? prepareHash(r), r.seq, head);
    r.hash = sha256Hex(text);
    head = r.hash;
    // The hashed text leaves out only hash, size and images[].evicted; a record with an
    // evicted image (never a new one) is stored the plain way.
    const plain = r.images.some((img) => img.evicted !== undefined) || !Number.isFinite(r.size);
    if (plain) encoded.push(Buffer.from(JSON.stringify(r)));
    else {
      text[0] = Buffer.from(`{"hash":"${r.hash}","size":${r.size},`); // in place of the opening "{"
      encoded.push(Buffer.concat(text));
    }
  });
  return { head, encoded };
}

function sha256Hex(pieces: Buffer[]): string {
  const h = createHash('sha256');
  for (const p of pieces) h.update(p);
  return h.digest('hex');
}
