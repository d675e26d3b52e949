// The hash chain over the log (docs/EVIDENCE.md): every record carries `hash`, the SHA-256
// of the canonical JSON of what was stored, and `prev_hash`, the hash of the record before
// it in seq order. What is hashed: the stored record with `prev_hash`, without `hash` and
// `size` (an estimate that eviction changes), and without each image's `evicted` flag —
// an evicted image is reported as evicted, not as tampered. Images are in it by SHA-256.
import { createHash } from 'node:crypto';
import { canonicalJson, sortedKeys } from './canonical-json.js';
import type { ImageRef, NewRecord, StoredRecord } from './record.js';

/** prev_hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

function withoutEvicted({ evicted: _evicted, ...image }: ImageRef): Omit<ImageRef, 'evicted'> {
  return image;
}

/** The text that is hashed (docs/EVIDENCE.md): one definition, for the chain and the verifier alike. */
export function hashedJson(r: NewRecord & { seq: number; prev_hash: string }): string {
  return assemble(prepareHash(r), r.seq, r.prev_hash);
}

export function recordHash(r: NewRecord & { seq: number; prev_hash: string }): string {
  return sha256Hex(hashedJson(r));
}

/**
 * A record's hashed members except seq and prev_hash, each as canonical `"key":value`
 * text, in key order. Made when the record is appended, outside the log's one-at-a-time
 * batch writer, so that the writer only splices in seq and prev_hash and hashes.
 */
export type HashedMembers = [key: string, text: string][];

export function prepareHash(r: NewRecord): HashedMembers {
  const members: HashedMembers = [];
  for (const k of sortedKeys(r)) {
    if (k === 'hash' || k === 'size' || k === 'seq' || k === 'prev_hash') continue;
    const v = k === 'images' ? r.images.map(withoutEvicted) : (r as unknown as Record<string, unknown>)[k];
    if (v !== undefined) members.push([k, `${JSON.stringify(k)}:${canonicalJson(v)}`]);
  }
  return members;
}

/** The hashed text: `members` with seq and prev_hash merged in at their key positions. */
function assemble(members: HashedMembers, seq: number, prevHash: string): string {
  const extra: [string, string][] = [['prev_hash', `"prev_hash":${JSON.stringify(prevHash)}`], ['seq', `"seq":${seq}`]];
  let out = '{';
  let i = 0;
  let j = 0;
  while (i < members.length || j < extra.length) {
    const takeExtra = j < extra.length && (i >= members.length || extra[j]![0] < members[i]![0]);
    if (out.length > 1) out += ',';
    out += takeExtra ? extra[j++]![1] : members[i++]![1];
  }
  return `${out}}`;
}

/**
 * Links `stored` (in seq order) onto the chain after `prev`. Returns the new head and each
 * record's JSON as stored: the hashed text with `hash` and `size` added, so a record is
 * serialised once on the ingest path, not once to hash and again to store. `prepared[i]`,
 * when given, is prepareHash(stored[i]) made earlier.
 */
export function chain(stored: StoredRecord[], prev: string, prepared: (HashedMembers | undefined)[] = []): { head: string; encoded: string[] } {
  let head = prev;
  const encoded: string[] = [];
  stored.forEach((r, i) => {
    r.prev_hash = head;
    const text = assemble(prepared[i] ?? prepareHash(r), r.seq, head);
    r.hash = sha256Hex(text);
    head = r.hash;
    // The hashed text leaves out only hash, size and images[].evicted; a record with an
    // evicted image (never a new one) is stored the plain way.
    const plain = r.images.some((img) => img.evicted !== undefined) || !Number.isFinite(r.size);
    encoded.push(plain ? JSON.stringify(r) : `{"hash":"${r.hash}","size":${r.size},${text.slice(1)}`);
  });
  return { head, encoded };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
