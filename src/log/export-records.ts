// The log as NDJSON lines: the operator's way to recover data by hand after a long outage,
// and the evidence a verifier checks. Reads the log in pages (bounded memory).
import type { ImageRef, StoredRecord } from './record.js';
import type { Checkpoint, RecordLog } from './record-log.js';

export interface ExportFilter {
  /** ISO time: records received at or after it. */
  since?: string | undefined;
  cameraId?: string | undefined;
}

/** The file an exported image is written to (lpr-gateway export --images DIR; verify --images DIR). */
export function imageFileName(r: { id: string }, image: ImageRef): string {
  return `${r.id}-${image.name}${image.content_type === 'image/jpeg' ? '.jpg' : ''}`;
}

/** One NDJSON line: a stored record, or a signed checkpoint of the chain. */
export type ExportLine = StoredRecord | { checkpoint: Checkpoint };

/**
 * Records in seq order as stored — hash, prev_hash and image references included, so a
 * full export verifies (lpr-gateway verify) — each followed by the checkpoints that cover
 * it. Presence (status) records are part of the chain and come only in an unfiltered export.
 */
export async function* exportRecords(log: RecordLog, filter: ExportFilter, pageSize = 500): AsyncGenerator<ExportLine> {
  const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
  const filtered = filter.since !== undefined || filter.cameraId !== undefined;
  let after = 0;
  let cpAfter = 0;
  let checkpoints: Checkpoint[] = [];
  for (;;) {
    const page = await log.readAfter(after, pageSize);
    if (page.length === 0) break;
    for (const r of page) {
      after = r.seq;
      while (checkpoints.length === 0 || checkpoints.at(-1)!.seq < r.seq) {
        const more = await log.checkpoints(cpAfter, 100);
        if (more.length === 0) break;
        cpAfter = more.at(-1)!.seq;
        checkpoints.push(...more);
      }
      if (!(filtered && (r.kind === 'status' || Date.parse(r.received_at) < since || (filter.cameraId !== undefined && r.camera_id !== filter.cameraId)))) yield r;
      while (checkpoints[0] && checkpoints[0].seq <= r.seq) yield { checkpoint: checkpoints.shift()! };
    }
  }
  // Checkpoints past the last record still stored (or of an emptied log).
  for (;;) {
    for (const cp of checkpoints.splice(0)) yield { checkpoint: cp };
    const more = await log.checkpoints(cpAfter, 100);
    if (more.length === 0) return;
    cpAfter = more.at(-1)!.seq;
    checkpoints = more;
  }
}
