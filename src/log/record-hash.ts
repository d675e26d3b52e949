// The hash chain over the log (docs/EVIDENCE.md): every record carries `hash`, the SHA-256
// of the canonical JSON of what was stored, and `prev_hash`, the hash of the record before
// it in seq order. What is hashed: the stored record with `prev_hash`, without `hash` and
// `size` (an estimate that eviction changes), and without each image's `evicted` flag —
// an evicted image is reported as evicted, not as tampered. Images are in it by SHA-256.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { ImageRef, NewRecord, StoredRecord } from './record.js';

/** prev_hash of the very first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The object whose canonical JSON is hashed. */
export function hashedContent(r: NewRecord & { seq: number; prev_hash: string }): Record<string, unknown> {
  // A plain copy loop rather than rest/spread: this runs once per record on the ingest path.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r)) {
    if (k === 'hash' || k === 'size') continue;
    out[k] = k === 'images' ? r.images.map(withoutEvicted) : (r as unknown as Record<string, unknown>)[k];
  }
  return out;
}

function withoutEvicted({ evicted: _evicted, ...image }: ImageRef): Omit<ImageRef, 'evicted'> {
  return image;
}

export function recordHash(r: NewRecord & { seq: number; prev_hash: string }): string {
  return createHash('sha256').update(canonicalJson(hashedContent(r))).digest('hex');
}

/** Links `stored` (in seq order) onto the chain after `prev`; returns the new head. */
export function chain(stored: StoredRecord[], prev: string): string {
  let head = prev;
  for (const r of stored) {
    r.prev_hash = head;
    r.hash = recordHash(r as StoredRecord & { prev_hash: string });
    head = r.hash;
  }
  return head;
}
