// Admission: the last check before a camera message is written, so that refusing comes
// before losing (README.md "Bounded storage, and what happens when the disk fills"). A message is admitted only if
//  - the store is writable (not failed after a write error), and
//  - free space on the data filesystem stays above the floor with this message written:
//    the statfs reading is a second old at most, so what was admitted since it (and what
//    was still being written when it was taken) is counted as gone; near the floor the
//    reading is taken anew for every message (one trusted reading let a fast stream of 2 MB
//    images run a 120 MB disk from above a 40 MB floor down to 24 KB free), and
//  - the store stays within store.maxBytes with everything already admitted: bytes are
//    reserved until the record is appended, so the quota is hard, not a sweep's target.
// Over quota, retention first makes room from delivered data (and from undelivered data
// only when the operator chose store.whenFull: evict-oldest); otherwise 507 + Retry-After.
import { statfsSync } from 'node:fs';
import { gatewayError } from '../errors.js';
import type { RecordLog } from './record-log.js';
import { refusalOf } from './store-failure.js';

export interface AdmissionOptions {
  log: RecordLog;
  dir: string;
  minFreeBytes: number;
  /** Quota of the store; 0 = none. */
  maxBytes: number;
  /** Frees at least `missing()` bytes (read when it starts) if it can; resolves with what
   *  it freed, or undefined if nothing was missing by then. */
  makeRoom?: (missing: () => number) => Promise<number | undefined>;
  /** How long one statfs answer is trusted; keeps the check off the hot path. */
  cacheMs?: number;
  /** For tests: free bytes instead of statfs. */
  freeBytes?: () => number;
}

/** Held from admission until the record is durable (its bytes are then in the totals). */
export type Reservation = () => void;

export class StoreAdmission {
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** Free bytes at the last reading, less what may have been written since. */
  private free = Number.POSITIVE_INFINITY;
  private reserved = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;

  constructor(private readonly o: AdmissionOptions) {}

  /** Free bytes on the data filesystem, as far as admission can know (never more). */
  freeBytes(): number {
    const now = Date.now();
    if (now - this.checkedAt >= (this.o.cacheMs ?? 1000) || this.nearFloor()) this.read(now);
    return this.free;
  }

  private read(now: number): void {
    this.checkedAt = now;
    // Bytes admitted but not yet durable may not be on the disk yet: counted as gone.
    this.free = (this.o.freeBytes ? this.o.freeBytes() : statfsFree(this.o.dir)) - this.reserved;
  }

  /** Within a quarter of the floor (at least 16 MB) of it: every message reads anew. */
  private nearFloor(): boolean {
    return this.o.minFreeBytes > 0 && this.free - this.o.minFreeBytes < Math.max(this.o.minFreeBytes / 4, 16 * 1024 * 1024);
  }

  /** What the store uses against its quota, and what the data filesystem has left. */
  usage(): { used_bytes: number; quota_bytes: number; disk_free_bytes: number; disk_free_min_bytes: number } {
    const free = this.freeBytes();
    return {
      used_bytes: this.used(), quota_bytes: this.o.maxBytes,
      disk_free_bytes: Number.isFinite(free) ? Math.max(0, free) : 0, disk_free_min_bytes: this.o.minFreeBytes,
    };
  }

  /** Bytes reserved by admitted messages not yet appended. */
  get pendingBytes(): number {
    return this.reserved;
  }

  async admit(bytes: number): Promise<Reservation> {
    const health = this.o.log.health();
    if (health.state !== 'open') throw refusalOf(health);
    this.checkFloor(bytes);
    if (this.o.maxBytes > 0 && (this.queued > 0 || !this.fits(bytes))) {
      // Over quota, admissions wait in arrival order: a newcomer never takes the room a
      // sweep has just made for an earlier message.
      this.queued += 1;
      const turn = this.queue.then(() => this.roomFor(bytes));
      this.queue = turn.catch(() => undefined);
      try {
        await turn;
      } finally {
        this.queued -= 1;
      }
    } else {
      this.reserved += bytes;
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.reserved -= bytes;
    };
  }

  /** Makes room (retention sweeps, one at a time) and reserves it, or refuses. */
  private async roomFor(bytes: number): Promise<void> {
    const missing = () => this.used() + bytes - this.o.maxBytes;
    for (let round = 0; this.o.makeRoom && missing() > 0 && round < 8; round++) {
      if ((await this.o.makeRoom(missing)) === 0) break; // nothing left to evict
    }
    if (!this.fits(bytes)) {
      throw gatewayError('STORE_QUOTA', this.o.maxBytes);
    }
    this.reserved += bytes;
  }

  private used(): number {
    return this.o.log.stats().liveBytes + this.reserved;
  }

  private fits(bytes: number): boolean {
    return this.used() + bytes <= this.o.maxBytes;
  }

  /** Refuses unless `bytes` more still leave the floor free; counts them as gone if not. */
  private checkFloor(bytes: number): void {
    if (this.o.minFreeBytes <= 0) return;
    const free = this.freeBytes();
    if (free - bytes < this.o.minFreeBytes) {
      throw gatewayError('DISK_FLOOR', Math.max(0, free), this.o.minFreeBytes);
    }
    this.free -= bytes;
  }
}

function statfsFree(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/** Size of the filesystem holding `dir` (for the default quota: a share of it). */
export function filesystemBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.blocks) * Number(s.bsize);
}
