// The effect of an eviction on records and totals, shared by every RecordLog backend so
// they agree on the accounting: stripped records keep their metadata and lose image bytes.
import type { StoredRecord } from './record.js';
import type { Totals } from './camera-stats.js';
import type { EvictionChange } from './record-log.js';

export interface EvictionEffect {
  /** Records rewritten without their images. */
  rewritten: StoredRecord[];
  totals: Totals;
}

export function planEviction(change: EvictionChange, current: Totals): EvictionEffect {
  const totals: Totals = { ...current, evictions: { ...current.evictions } };
  const rewritten = change.stripImages.map((r) => {
    const dropped = r.images.filter((i) => !i.evicted).reduce((n, i) => n + i.bytes, 0);
    totals.liveBytes -= dropped;
    return { ...r, size: Math.max(0, r.size - dropped), images: r.images.map((i) => ({ ...i, evicted: true })) };
  });
  for (const r of change.remove) {
    totals.liveRecords -= 1;
    totals.liveBytes -= r.size;
  }
  const n = change.remove.length + change.stripImages.length;
  if (n > 0) totals.evictions[change.reason] = (totals.evictions[change.reason] ?? 0) + n;
  totals.liveBytes = Math.max(0, totals.liveBytes);
  return { rewritten, totals };
}
