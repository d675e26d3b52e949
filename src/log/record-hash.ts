// The hash chain over the log (docs/EVIDENCE.md): every record carries `hash`, the SHA-256
// of the canonical JSON of what was stored, and `prev_hash`, the hash of the record before
// it in seq order. What is hashed: the stored record with `prev_hash`, without `hash` and
// `size` (an estimate that eviction changes), and without each image's `evicted` flag —
// an evicted image is reported as evicted, not as tampered. Images are in it by SHA-256.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { NewRecord, StoredRecord } from './record.js';

/** prev_hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The object whose canonical JSON is hashed. */
export function hashedContent(r: NewRecord & { seq: number; prev_hash: string }): Record<string, unknown> {
  const { hash: _hash, size: _size, images, ...rest } = r as NewRecord & { seq: number; prev_hash: string; hash?: string };
  return { ...rest, images: images.map(({ evicted: _evicted, ...image }) => image) };
}

export function recordHash(r: NewRecord & { seq: number; prev_hash: string }): string {
  return createHash('sha256').update(canonicalJson(hashedContent(r))).digest('hex');
}

/** Links `stored` (in seq order) onto the chain after `prev`; returns the new head. */
export function chain(stored: StoredRecord[], prev: string): string {
  let head = prev;
  for (const r of stored) {
    r.prev_hash = head;
    r.hash = recordHash({ ...r, prev_hash: head });
    head = r.hash;
  }
  return head;
}
