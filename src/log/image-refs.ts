// Reference counting of image files. Blobs are content-addressed, so one file may serve
// several records (a resend, a frame reused): the file lives until its last reference
// goes, and the quota counts each distinct file once. Counts change in the same batch as
// the records that take or drop references (see BaseRecordLog).
import type { ImageRef, NewRecord } from './record.js';

export const liveImages = (r: NewRecord): ImageRef[] => r.images.filter((i) => !i.evicted);

/** Bytes of the record itself: its size without the image files it references. */
export function ownBytes(r: NewRecord): number {
  return Math.max(0, r.size - liveImages(r).reduce((n, i) => n + i.bytes, 0));
}

export interface RefDelta {
  delta: number;
  bytes: number;
}

/** Reference changes of `records` (+1 each image reference, or -1 with sign -1). */
export function refDeltas(records: readonly NewRecord[], sign: 1 | -1): Map<string, RefDelta> {
  const out = new Map<string, RefDelta>();
  for (const r of records) {
    for (const i of liveImages(r)) {
      const d = out.get(i.sha256) ?? { delta: 0, bytes: i.bytes };
      d.delta += sign;
      out.set(i.sha256, d);
    }
  }
  return out;
}

export interface RefPlan {
  /** SHA-256 → new count (0: the row goes). */
  refs: [string, number][];
  /** Bytes of files that gained their first reference. */
  addedBytes: number;
  /** Files that lost their last reference. */
  freed: string[];
  freedBytes: number;
}

/** Applies deltas to the current counts (same order as deltas' keys). */
export function planRefs(deltas: Map<string, RefDelta>, current: readonly number[]): RefPlan {
  const plan: RefPlan = { refs: [], addedBytes: 0, freed: [], freedBytes: 0 };
  let k = 0;
  for (const [sha, d] of deltas) {
    const before = current[k++] ?? 0;
    const after = Math.max(0, before + d.delta);
    plan.refs.push([sha, after]);
    if (before === 0 && after > 0) plan.addedBytes += d.bytes;
    if (before > 0 && after === 0) {
      plan.freed.push(sha);
      plan.freedBytes += d.bytes;
    }
  }
  return plan;
}
