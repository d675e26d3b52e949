// Repairs what a crash can leave between writing an image and appending its record: blob
// files no record references. Runs with the hourly maintenance, never at boot (start-up
// must not grow with the store). Reads the reference counts, not the whole log; files
// younger than `minAgeMs` may belong to an ingest in flight and are left alone.
import type { Logger } from 'pino';
import type { BlobStore } from './blob-store.js';
import type { RecordLog } from './record-log.js';

export async function removeOrphanBlobs(log: RecordLog, blobs: BlobStore, logger: Logger, minAgeMs = 3_600_000, now = Date.now()): Promise<number> {
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length > 0) removed += await log.removeUnreferencedImages(batch);
    batch = [];
  };
  for await (const file of blobs.list()) {
    if (now - file.mtimeMs < minAgeMs) continue;
    batch.push(file.sha256);
    if (batch.length >= 500) await flush();
  }
  await flush();
  if (removed > 0) logger.warn({ removed }, 'removed image files no record references (left by a crash)');
  return removed;
}
