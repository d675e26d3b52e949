// Keeps the store inside its bounds (README.md "Bounded storage"). Run by the sweep job and,
// over quota, by admission before it refuses anything:
//   1. age: delivered records past store.retainDelivered; undelivered ones past
//      store.maxUndeliveredAge of *running* time (off by default; see RunningClock);
//   2. quota: images of delivered records → delivered records; then, only when the
//      operator chose store.whenFull: evict-oldest, images of undelivered records →
//      undelivered records, oldest first. With the default (refuse) undelivered data is
//      never evicted for space: admission answers 507 and cameras keep their copy.
// Work is done in bounded batches with a yield between them, so ingest never waits long;
// every eviction is counted by reason (log totals, metrics) and logged.
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from 'pino';
import { liveImages } from './image-refs.js';
import type { EvictionReason, RecordLog } from './record-log.js';
import type { StoredRecord } from './record.js';
import { RunningClock } from './running-clock.js';

export type WhenFull = 'refuse' | 'evict-oldest';

export interface RetentionOptions {
  log: RecordLog;
  logger: Logger;
  maxBytes: number;
  whenFull: WhenFull;
  retainDeliveredMs: number;
  /** 0 = off. Measured in running time, never by the wall clock. */
  maxUndeliveredAgeMs: number;
  /** Every record at or below this seq has been delivered to every consumer. */
  deliveredSeq: () => number;
  batch?: number;
  now?: () => number;
  /** Monotonic clock of the running-time age (tests move it). */
  mono?: () => number;
}

type Done = Partial<Record<EvictionReason, number>>;
const ALL = Number.MAX_SAFE_INTEGER;

export class StoreRetention {
  private readonly batch: number;
  private readonly now: () => number;
  private readonly clock: RunningClock | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: RetentionOptions) {
    this.batch = o.batch ?? 500;
    this.now = o.now ?? Date.now;
    if (o.maxUndeliveredAgeMs > 0) this.clock = new RunningClock(o.log, Math.max(1000, o.maxUndeliveredAgeMs / 64), o.mono);
  }

  overQuota(): boolean {
    return this.o.maxBytes > 0 && this.o.log.stats().liveBytes > this.o.maxBytes;
  }

  /** One pass (age, then quota); returns what it evicted by reason. */
  sweep(): Promise<Done> {
    return this.serial(async () => {
      const done: Done = {};
      await this.byAge(done);
      if (this.overQuota()) await this.free(this.o.log.stats().liveBytes - this.o.maxBytes, done);
      return done;
    });
  }

  private freed = 0;

  /** Frees at least `missing()` bytes (read when its turn comes) if the eviction order
   *  allows; returns bytes freed, or undefined when nothing was missing by then. */
  makeRoom(missing: () => number): Promise<number | undefined> {
    return this.serial(async () => {
      const bytes = missing();
      if (bytes <= 0) return undefined; // room was made meanwhile
      // Counted from the evictions, not the totals: appends go on during a sweep.
      this.freed = 0;
      // A little headroom (1/16 of the quota) so concurrent admissions do not each wait
      // for a sweep of their own.
      await this.free(bytes + Math.floor(this.o.maxBytes / 16), {});
      return this.freed;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async byAge(done: Done): Promise<void> {
    const delivered = this.o.deliveredSeq();
    const now = this.now();
    const old = (r: StoredRecord) => now - Date.parse(r.received_at) > this.o.retainDeliveredMs;
    await this.scan(0, delivered, async (page) => {
      await this.apply('retention_delivered', page.filter(old), [], done);
      // Records are in arrival order: stop once a page ends young.
      return old(page[page.length - 1]!);
    });
    if (!this.clock) return;
    await this.clock.tick();
    const agedUpTo = this.clock.seqOlderThan(this.o.maxUndeliveredAgeMs);
    if (agedUpTo > delivered) {
      await this.scan(delivered, agedUpTo, async (page) => {
        await this.apply('max_age_undelivered', page, [], done);
        return true;
      });
    }
  }

  private async free(bytes: number, done: Done): Promise<void> {
    const start = this.freed;
    const excess = () => bytes - (this.freed - start);
    const delivered = this.o.deliveredSeq();
    const phases: [EvictionReason, number, number, 'images' | 'records'][] = [
      ['delivered_images', 0, delivered, 'images'],
      ['delivered_records', 0, delivered, 'records'],
    ];
    if (this.o.whenFull === 'evict-oldest') {
      phases.push(['undelivered_images', delivered, ALL, 'images'], ['undelivered_records', delivered, ALL, 'records']);
    }
    for (const [reason, after, upTo, what] of phases) {
      if (excess() <= 0) return;
      await this.scan(after, upTo, async (page) => {
        // Take just enough, oldest first (an image shared with a newer record frees less).
        const candidates = what === 'images' ? page.filter((r) => liveImages(r).length > 0) : page;
        const bytesOf = (r: StoredRecord) => (what === 'images' ? liveImages(r).reduce((n, i) => n + i.bytes, 0) : r.size);
        const picked: StoredRecord[] = [];
        let freed = 0;
        const need = excess();
        for (const r of candidates) {
          if (freed >= need) break;
          picked.push(r);
          freed += bytesOf(r);
        }
        if (what === 'images') await this.apply(reason, [], picked, done);
        else await this.apply(reason, picked, [], done);
        return excess() > 0;
      });
    }
  }

  /** Pages through seqs in (after, upTo]; `visit` returns false to stop. */
  private async scan(after: number, upTo: number, visit: (page: StoredRecord[]) => Promise<boolean>): Promise<void> {
    for (let pos = after; pos < upTo;) {
      const page = (await this.o.log.readAfter(pos, this.batch)).filter((r) => r.seq <= upTo);
      if (page.length === 0) return;
      pos = page[page.length - 1]!.seq;
      if (!(await visit(page))) return;
      await yieldToIo();
    }
  }

  private async apply(reason: EvictionReason, remove: StoredRecord[], stripImages: StoredRecord[], done: Done): Promise<void> {
    if (remove.length === 0 && stripImages.length === 0) return;
    const result = await this.o.log.evict({ reason, remove, stripImages });
    this.freed += result.freedBytes;
    if (result.records === 0) return;
    done[reason] = (done[reason] ?? 0) + result.records;
    const all = [...remove, ...stripImages];
    const log = reason.includes('undelivered') || reason === 'max_age_undelivered' ? this.o.logger.warn.bind(this.o.logger) : this.o.logger.info.bind(this.o.logger);
    log({
      reason, records: result.records, images: result.freedImages, bytes: result.freedBytes,
      first_seq: all[0]!.seq, last_seq: all[all.length - 1]!.seq,
    }, `evicted ${reason.endsWith('images') ? 'images' : 'records'}`);
  }
}
