// The effect of an eviction on records and totals, shared by every RecordLog backend so
// they agree on the accounting: stripped records keep their metadata and lose their image
// references; bytes of an image file leave the quota only when its last reference goes.
import type { Totals } from './camera-stats.js';
import { liveImages, ownBytes, type RefPlan } from './image-refs.js';
import type { EvictionReason } from './record-log.js';
import type { StoredRecord } from './record.js';

export interface EvictionEffect {
  /** Records rewritten without their images. */
  rewritten: StoredRecord[];
  totals: Totals;
}

/** `remove` and `strip` are the records as stored now (already-gone ones left out). */
export function planEviction(reason: EvictionReason, remove: StoredRecord[], strip: StoredRecord[], refs: RefPlan, current: Totals): EvictionEffect {
  const totals: Totals = { ...current, evictions: { ...current.evictions } };
  const rewritten = strip.map((r) => {
    const dropped = liveImages(r).reduce((n, i) => n + i.bytes, 0);
    return { ...r, size: Math.max(0, r.size - dropped), images: r.images.map((i) => ({ ...i, evicted: true })) };
  });
  for (const r of remove) {
    totals.liveRecords -= 1;
    totals.liveBytes -= ownBytes(r);
  }
  totals.liveBytes = Math.max(0, totals.liveBytes - refs.freedBytes);
  const n = remove.length + strip.length;
  if (n > 0) totals.evictions[reason] = (totals.evictions[reason] ?? 0) + n;
  return { rewritten, totals };
}
