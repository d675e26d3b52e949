// Plate search over the index (exact or one character off), and the recent-events list
// (no plate: the log read backwards). Newest first; filters on camera and camera time.
import type { StoredRecord } from '../log/record.js';
import type { RecordLog } from '../log/record-log.js';
import { deletions, normalisePlate, withinOneEdit } from '../plates/plate-text.js';
import { SEP, type IndexRow, type PlateIndex } from './plate-index.js';

export interface SearchQuery {
  plate?: string | undefined;
  camera?: string | undefined;
  /** Epoch ms bounds on the camera's time (inclusive). */
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  fuzzy: boolean;
  /** Events view paging: only records below this seq. */
  before?: number | undefined;
}

export interface SearchHit {
  record: StoredRecord;
  /** The reading that matched (plate search), as read and normalised. */
  plate: string | null;
  plate_key: string | null;
  exact: boolean;
}

/** Records the events view looks at per request at most (its answer says when it stopped early). */
const SCAN_BUDGET = 20_000;
/** Newest sightings read per plate key (a filter then narrows them by camera and time). */
const ROWS_PER_PLATE = 5000;

const inRange = (q: SearchQuery, camera: string, time: string) => {
  if (q.camera !== undefined && camera !== q.camera) return false;
  const t = Date.parse(time);
  return (q.from === undefined || t >= q.from) && (q.to === undefined || t <= q.to);
};

export async function searchPlates(log: RecordLog, index: PlateIndex, q: SearchQuery & { plate: string }): Promise<{ key: string; hits: SearchHit[] }> {
  const key = normalisePlate(q.plate);
  const keys = new Set([key]);
  if (q.fuzzy) {
    for (const v of new Set([key, ...deletions(key)])) {
      for (const [k] of await index.variants.range({ gte: v + SEP, lt: v + '\u0001' })) {
        const plate = k.slice(v.length + 1);
        if (withinOneEdit(key, plate)) keys.add(plate);
      }
    }
  }
  // Every key's rows newest first, filtered, merged by seq.
  const rows: { seq: number; k: string; row: IndexRow; rowKey: string }[] = [];
  for (const k of keys) {
    for (const [rowKey, row] of await index.rows.range({ gte: k + SEP, lt: k + '\u0001', reverse: true, limit: ROWS_PER_PLATE })) {
      if (inRange(q, row.c, row.t)) rows.push({ seq: Number(rowKey.slice(k.length + 1)), k, row, rowKey });
    }
  }
  rows.sort((a, b) => b.seq - a.seq);
  const hits: SearchHit[] = [];
  const stale: string[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (hits.length >= q.limit) break;
    if (seen.has(r.seq)) continue;
    seen.add(r.seq);
    const record = await log.get(r.seq);
    if (!record) {
      stale.push(r.rowKey); // evicted since: drop its row
      continue;
    }
    hits.push({ record, plate: r.row.p, plate_key: r.k, exact: r.k === key });
  }
  if (stale.length) await index.forget(stale).catch(() => undefined);
  return { key, hits };
}

/** Recent detections, newest first (the events view). */
export async function recentDetections(log: RecordLog, q: SearchQuery): Promise<{ hits: SearchHit[]; next_before: number | null }> {
  const hits: SearchHit[] = [];
  let before = q.before ?? log.lastSeq() + 1;
  let scanned = 0;
  while (hits.length < q.limit && scanned < SCAN_BUDGET && before > 1) {
    const page = await log.readBefore(before, 500);
    if (page.length === 0) return { hits, next_before: null };
    for (const r of page) {
      before = r.seq;
      scanned += 1;
      if (r.kind === 'detection' && inRange(q, r.camera_id, r.time)) {
        hits.push({ record: r, plate: null, plate_key: null, exact: true });
        if (hits.length >= q.limit) break;
      }
    }
  }
  return { hits, next_before: before > 1 ? before : null };
}
