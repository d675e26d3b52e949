// The tail: the newest records as appended, kept a little while for the log's readers
// (the local broker, the uplink lanes, the plate index, the alert watch), which otherwise
// each read back from LevelDB and parse every record just written. Bounded by count and by
// age, so an idle gateway holds none of it. It only ever holds contiguous seqs ending at the
// log's last one: the log empties it on anything that rewrites records (an eviction, a
// failed write, a reopen), so it never answers differently from the store.
import type { StoredRecord } from './record.js';

export interface TailLimits {
  records: number;
  ms: number;
}

/** At most 2,048 records, none older than 2 s (docs: log/README.md, "What the write path costs"). */
export const TAIL_LIMITS: TailLimits = { records: 2048, ms: 2000 };

export class TailCache {
  private tail: { at: number; record: StoredRecord }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: TailLimits = TAIL_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a committed batch (its seqs follow the tail's). */
  add(stored: StoredRecord[]): void {
    const at = this.now();
    for (const record of stored) this.tail.push({ at, record });
    let drop = Math.max(0, this.tail.length - this.limits.records);
    while (drop < this.tail.length && this.tail[drop]!.at < at - this.limits.ms) drop += 1;
    if (drop > 0) this.tail.splice(0, drop);
    // Traffic stopped: let the last records go too (one timer, pushed back by each batch).
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.clear(), this.limits.ms).unref();
  }

  /** Records after `afterSeq`, at most `limit`, when the tail reaches back that far; else undefined. */
  after(afterSeq: number, limit: number): StoredRecord[] | undefined {
    const first = this.tail[0]?.record.seq;
    if (first === undefined || afterSeq + 1 < first) return undefined;
    const start = afterSeq + 1 - first;
    return this.tail.slice(start, start + limit).map((t) => t.record);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.tail = [];
  }
}
