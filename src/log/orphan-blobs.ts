// Repairs what a crash can leave between writing an image and appending its record: blob
// files no record references. Runs with the hourly maintenance, never at boot (start-up
// must not grow with the store): one paged pass over the log collects referenced hashes,
// then blob files that are unreferenced and older than `minAgeMs` (not an ingest in
// flight) are deleted and reported.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RecordLog } from './record-log.js';

export async function removeOrphanBlobs(log: RecordLog, blobDir: string, logger: Logger, minAgeMs = 3_600_000, now = Date.now()): Promise<number> {
  const referenced = new Set<string>();
  for (let after = 0; ;) {
    const page = await log.readAfter(after, 1000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.seq;
    for (const r of page) for (const i of r.images) if (!i.evicted) referenced.add(i.sha256);
  }
  let removed = 0;
  for (const shard of await readdir(blobDir).catch(() => [] as string[])) {
    const shardDir = join(blobDir, shard);
    for (const name of await readdir(shardDir).catch(() => [] as string[])) {
      if (referenced.has(name)) continue;
      const file = join(shardDir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info || now - info.mtimeMs < minAgeMs) continue;
      await rm(file, { force: true });
      removed += 1;
    }
  }
  if (removed > 0) logger.warn({ removed }, 'removed image files no record references (left by a crash)');
  return removed;
}
