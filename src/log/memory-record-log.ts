// The log kept in memory: no durability at all. It exists as the second backend of the
// conformance suite, the model of the property test, and the "no storage" reference of
// the ingest benchmark; never wired into a running gateway by configuration.
import { BaseRecordLog, type BaseLogOptions } from './base-record-log.js';
import type { Totals } from './camera-stats.js';
import { seqKey, type ChainHead, type Keyspace, type KvOp, type KvRange, type LogSnapshot, type WritePlan } from './log-backend.js';
import { decodeLine } from './record-line.js';
import type { CameraSummary, GapRow } from './record-log.js';
import type { StoredRecord } from './record.js';

/** A stored record: its line, as LevelDB keeps it. */
interface Row {
  seq: number;
  id: string;
  line: Buffer;
}

/** What survives "reopen": share one of these between instances. */
export interface MemoryLogState {
  /** In seq order. */
  records: Row[];
  /** Seqs whose images were evicted. */
  evicted: Set<number>;
  totals: Totals | undefined;
  cameras: Map<string, CameraSummary>;
  highWater: number;
  chainHead: ChainHead | undefined;
  /** Every keyspace of log-backend.ts: key → JSON value. */
  spaces: Map<Keyspace, Map<string, unknown>>;
}

export function emptyMemoryLogState(): MemoryLogState {
  return { records: [], evicted: new Set(), totals: undefined, cameras: new Map(), highWater: 0, chainHead: undefined, spaces: new Map() };
}

// Values are copied in and out, as a real store would serialise them.
const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export class MemoryRecordLog extends BaseRecordLog {
  constructor(private readonly s: MemoryLogState = emptyMemoryLogState(), opts: BaseLogOptions = { dedupeWindowMs: 86_400_000 }) {
    super(opts);
  }

  private space(name: Keyspace): Map<string, unknown> {
    let m = this.s.spaces.get(name);
    if (!m) this.s.spaces.set(name, (m = new Map()));
    return m;
  }

  private apply(name: Keyspace, ops: KvOp[]): void {
    const m = this.space(name);
    for (const o of ops) {
      if (o.value === undefined) m.delete(o.key);
      else m.set(o.key, copy(o.value));
    }
  }

  protected async _open(): Promise<LogSnapshot> {
    return {
      firstSeq: this.s.records[0]?.seq ?? 0,
      lastSeq: this.s.records.at(-1)?.seq ?? 0,
      highWater: this.s.highWater,
      totals: copy(this.s.totals),
      cameras: copy([...this.s.cameras.values()]),
      cursors: [...this.space('cursor').values()] as number[],
      gaps: copy([...this.space('gap').values()] as GapRow[]).sort((a, b) => a.from_seq - b.from_seq),
      chainHead: copy(this.s.chainHead),
    };
  }

  protected async _close(_clean: boolean): Promise<void> {}

  protected async _commit(plan: WritePlan): Promise<void> {
    const s = this.s;
    const last = s.records.at(-1)?.seq ?? 0;
    const rows = plan.put.map((r) => ({ seq: r.seq, id: r.id, line: Buffer.from(r.line) }));
    if (rows.every((r) => r.seq > last)) s.records.push(...rows); // appends: the common case, O(batch)
    else s.records = [...s.records.filter((r) => !rows.some((n) => n.seq === r.seq)), ...rows].sort((a, b) => a.seq - b.seq);
    this.apply('id', rows.map((r) => ({ key: r.id, value: r.seq })));
    if (plan.del.length > 0) {
      const gone = new Set(plan.del.map((r) => r.seq));
      this.apply('id', plan.del.map((r) => ({ key: r.id })));
      for (const r of plan.del) s.evicted.delete(r.seq);
      s.records = s.records.filter((r) => !gone.has(r.seq));
    }
    for (const seq of plan.stripped) s.evicted.add(seq);
    this.apply('gap', [...(plan.gaps?.del ?? []).map((seq) => ({ key: seqKey(seq) })), ...(plan.gaps?.put ?? []).map((g) => ({ key: seqKey(g.from_seq), value: g }))]);
    this.apply('dedupe', plan.dedupe.map(([key, value]) => ({ key, value })));
    this.apply('ref', plan.refs.map(([key, n]) => ({ key, value: n > 0 ? n : undefined })));
    s.totals = copy(plan.totals);
    for (const row of plan.cameras) s.cameras.set(row.camera_id, copy(row));
    if (plan.highWater !== undefined) s.highWater = plan.highWater;
    if (plan.chainHead) s.chainHead = { ...plan.chainHead };
  }

  protected async _get(seqs: number[]): Promise<(StoredRecord | undefined)[]> {
    return seqs.map((seq) => {
      const r = this.s.records[this.indexAfter(seq - 1)];
      return r?.seq === seq ? this.decode(r) : undefined;
    });
  }

  /** Index of the first record with seq > afterSeq (binary search: records are in seq order). */
  private indexAfter(afterSeq: number): number {
    let lo = 0;
    let hi = this.s.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.s.records[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  protected async _range(afterSeq: number, limit: number): Promise<StoredRecord[]> {
    const from = this.indexAfter(afterSeq);
    return this.s.records.slice(from, from + limit).map((r) => this.decode(r));
  }

  protected async _rangeBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]> {
    return this.s.records.filter((r) => r.seq < beforeSeq).slice(-limit).reverse().map((r) => this.decode(r));
  }

  private decode(r: Row): StoredRecord {
    return decodeLine(Buffer.from(r.line), this.s.evicted.has(r.seq));
  }

  protected async _compact(): Promise<void> {}

  protected async _kvGet(name: Keyspace, keys: string[]): Promise<unknown[]> {
    const m = this.space(name);
    return keys.map((k) => copy(m.get(k)));
  }

  protected async _kvRange(name: Keyspace, range: KvRange): Promise<[string, unknown][]> {
    const m = this.space(name);
    const keys = [...m.keys()]
      .filter((k) => (range.gt === undefined || k > range.gt) && (range.gte === undefined || k >= range.gte) && (range.lt === undefined || k < range.lt))
      .sort();
    if (range.reverse) keys.reverse();
    return keys.slice(0, range.limit ?? keys.length).map((k) => [k, copy(m.get(k))]);
  }

  protected async _kvWrite(name: Keyspace, ops: KvOp[], _sync: boolean): Promise<void> {
    this.apply(name, ops);
  }
}
