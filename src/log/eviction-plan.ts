// The effect of an eviction on the totals, shared by every RecordLog backend so they agree
// on the accounting: stripped records keep their line and lose their image references
// (the log notes beside them that their images went); bytes of an image file leave the
// quota only when its last reference goes.
import type { Totals } from './camera-stats.js';
import { ownBytes, type RefPlan } from './image-refs.js';
import type { EvictionReason } from './record-log.js';
import type { StoredRecord } from './record.js';

export interface EvictionEffect {
  totals: Totals;
}

/** `remove` and `strip` are the records as stored now (already-gone ones left out). */
export function planEviction(reason: EvictionReason, remove: StoredRecord[], strip: StoredRecord[], refs: RefPlan, current: Totals): EvictionEffect {
  const totals: Totals = { ...current, evictions: { ...current.evictions } };
  for (const r of remove) {
    totals.liveRecords -= 1;
    totals.liveBytes -= ownBytes(r);
  }
  totals.liveBytes = Math.max(0, totals.liveBytes - refs.freedBytes);
  const n = remove.length + strip.length;
  if (n > 0) totals.evictions[reason] = (totals.evictions[reason] ?? 0) + n;
  return { totals };
}
