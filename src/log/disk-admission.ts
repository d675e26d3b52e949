// Refuses new records when free space on the data filesystem is below the floor, so cameras
// keep their own copy (HTTP 507 + Retry-After) instead of the gateway dropping data later.
import { statfsSync } from 'node:fs';
import { GatewayError } from '../errors.js';
import type { AdmissionCheck } from '../ingest/ingest.js';

export interface DiskAdmissionOptions {
  dir: string;
  minFreeBytes: number;
  /** How long one statfs answer is trusted; keeps the check off the hot path. */
  cacheMs?: number;
  /** For tests: free bytes instead of statfs. */
  freeBytes?: () => number;
}

export class DiskAdmission implements AdmissionCheck {
  private checkedAt = 0;
  private free = Number.POSITIVE_INFINITY;

  constructor(private readonly opts: DiskAdmissionOptions) {}

  freeBytes(): number {
    const now = Date.now();
    if (now - this.checkedAt >= (this.opts.cacheMs ?? 1000)) {
      this.checkedAt = now;
      if (this.opts.freeBytes) this.free = this.opts.freeBytes();
      else {
        const s = statfsSync(this.opts.dir);
        this.free = Number(s.bavail) * Number(s.bsize);
      }
    }
    return this.free;
  }

  assertCanAccept(): void {
    if (this.opts.minFreeBytes <= 0) return;
    const free = this.freeBytes();
    if (free < this.opts.minFreeBytes) {
      throw new GatewayError('STORE_FULL', `the gateway's disk is full (${free} bytes free, floor ${this.opts.minFreeBytes}); resend later`, {
        retryAfter: 60,
      });
    }
  }
}

/** Size of the filesystem holding `dir` (for the default quota: a share of it). */
export function filesystemBytes(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.blocks) * Number(s.bsize);
}
