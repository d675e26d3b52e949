// Keeps the store inside its bounds (DESIGN.md "Bounded disk"). A sweep, run by node-cron:
//   1. age: delivered records past store.retainDelivered, undelivered past
//      store.maxUndeliveredAge (the only way an undelivered record goes without disk pressure);
//   2. quota, while the store is over store.maxBytes, in this order: images of delivered
//      records → delivered records → images of undelivered records, oldest first →
//      undelivered records, oldest first.
// Work is done in bounded batches with a yield between them, so ingest never waits long;
// every eviction is counted by reason (log totals, metrics) and logged.
import { rm } from 'node:fs/promises';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { StoredRecord } from './record.js';
import type { BlobStore } from './blob-store.js';
import type { EvictionReason, RecordLog } from './record-log.js';

export interface RetentionOptions {
  log: RecordLog;
  blobs: BlobStore;
  logger: Logger;
  maxBytes: number;
  retainDeliveredMs: number;
  maxUndeliveredAgeMs: number;
  /** Every record at or below this seq has been delivered to every consumer. */
  deliveredSeq: () => number;
  batch?: number;
  now?: () => number;
}

const hasImages = (r: StoredRecord) => r.images.some((i) => !i.evicted);

export class StoreRetention {
  private readonly batch: number;
  private readonly now: () => number;

  constructor(private readonly o: RetentionOptions) {
    this.batch = o.batch ?? 500;
    this.now = o.now ?? Date.now;
  }

  overQuota(): boolean {
    return this.o.maxBytes > 0 && this.o.log.stats().liveBytes > this.o.maxBytes;
  }

  /** One pass; returns what it evicted by reason. */
  async sweep(): Promise<Partial<Record<EvictionReason, number>>> {
    const done: Partial<Record<EvictionReason, number>> = {};
    const delivered = this.o.deliveredSeq();
    const now = this.now();
    await this.scan(0, Number.MAX_SAFE_INTEGER, async (page) => {
      const old = (r: StoredRecord, ms: number) => now - Date.parse(r.received_at) > ms;
      const expired = page.filter((r) => (r.seq <= delivered ? old(r, this.o.retainDeliveredMs) : old(r, this.o.maxUndeliveredAgeMs)));
      await this.apply('retention_delivered', expired.filter((r) => r.seq <= delivered), [], done);
      await this.apply('max_age_undelivered', expired.filter((r) => r.seq > delivered), [], done);
      // Records are in arrival order: stop once a page ends younger than both limits.
      return old(page[page.length - 1]!, Math.min(this.o.retainDeliveredMs, this.o.maxUndeliveredAgeMs));
    });
    const phases: [EvictionReason, number, number, 'images' | 'records'][] = [
      ['delivered_images', 0, delivered, 'images'],
      ['delivered_records', 0, delivered, 'records'],
      ['undelivered_images', delivered, Number.MAX_SAFE_INTEGER, 'images'],
      ['undelivered_records', delivered, Number.MAX_SAFE_INTEGER, 'records'],
    ];
    for (const [reason, after, upTo, what] of phases) {
      if (!this.overQuota()) break;
      await this.scan(after, upTo, async (page) => {
        // Take just enough, oldest first, to get back under the quota.
        const candidates = what === 'images' ? page.filter(hasImages) : page;
        const bytesOf = (r: StoredRecord) => (what === 'images' ? r.images.filter((i) => !i.evicted).reduce((n, i) => n + i.bytes, 0) : r.size);
        const picked: StoredRecord[] = [];
        let freed = 0;
        const excess = this.o.log.stats().liveBytes - this.o.maxBytes;
        for (const r of candidates) {
          if (freed >= excess) break;
          picked.push(r);
          freed += bytesOf(r);
        }
        if (what === 'images') await this.apply(reason, [], picked, done);
        else await this.apply(reason, picked, [], done);
        return this.overQuota();
      });
    }
    return done;
  }

  /** Pages through seqs in (after, upTo]; `visit` returns false to stop. */
  private async scan(after: number, upTo: number, visit: (page: StoredRecord[]) => Promise<boolean>): Promise<void> {
    let pos = after;
    for (;;) {
      const page = (await this.o.log.readAfter(pos, this.batch)).filter((r) => r.seq <= upTo);
      if (page.length === 0) return;
      pos = page[page.length - 1]!.seq;
      if (!(await visit(page))) return;
      await yieldToIo();
    }
  }

  private async apply(reason: EvictionReason, remove: StoredRecord[], stripImages: StoredRecord[], done: Partial<Record<EvictionReason, number>>): Promise<void> {
    if (remove.length === 0 && stripImages.length === 0) return;
    await this.o.log.evict({ reason, remove, stripImages });
    const images = [...remove, ...stripImages].flatMap((r) => r.images.filter((i) => !i.evicted));
    // Blobs go after the records that point at them are durable (a crash leaves orphans, never dangling refs).
    await Promise.all(images.map((i) => rm(this.o.blobs.pathOf(i.sha256), { force: true })));
    const n = remove.length + stripImages.length;
    done[reason] = (done[reason] ?? 0) + n;
    const all = [...remove, ...stripImages];
    this.o.logger.warn({
      reason, records: n, images: images.length, bytes: images.reduce((b, i) => b + i.bytes, 0),
      first_seq: Math.min(...all.map((r) => r.seq)), last_seq: Math.max(...all.map((r) => r.seq)),
    }, `evicted ${what(reason)}`);
  }
}

function what(reason: EvictionReason): string {
  return reason.endsWith('images') ? 'images' : 'records';
}
