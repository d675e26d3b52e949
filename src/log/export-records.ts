// Records since a time, optionally of one camera, as NDJSON lines: the operator's way to
// recover data by hand after a long outage. Reads the log in pages (bounded memory).
import type { StoredRecord } from './record.js';
import type { RecordLog } from './record-log.js';

export interface ExportFilter {
  /** ISO time: records received at or after it. */
  since?: string | undefined;
  cameraId?: string | undefined;
  /** Keep image references in the lines (the bytes are never inlined). */
  withImages: boolean;
}

export async function* exportRecords(log: RecordLog, filter: ExportFilter, pageSize = 500): AsyncGenerator<StoredRecord> {
  const since = filter.since ? Date.parse(filter.since) : Number.NEGATIVE_INFINITY;
  let after = 0;
  for (;;) {
    const page = await log.readAfter(after, pageSize);
    if (page.length === 0) return;
    for (const r of page) {
      after = r.seq;
      if (r.kind === 'status') continue;
      if (Date.parse(r.received_at) < since) continue;
      if (filter.cameraId !== undefined && r.camera_id !== filter.cameraId) continue;
      yield filter.withImages ? r : { ...r, images: [] };
    }
  }
}
