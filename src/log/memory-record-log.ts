// The log kept in memory: no durability at all. It exists as the second backend of the
// conformance suite, the model of the property test, and the "no storage" reference of
// the ingest benchmark; never wired into a running gateway by configuration.
import { BaseRecordLog, type BaseLogOptions } from './base-record-log.js';
import type { Totals } from './camera-stats.js';
import type { ChainHead, DedupeEntry, LogSnapshot, WritePlan } from './log-backend.js';
import { decodeLine } from './record-line.js';
import type { CameraSummary, Checkpoint, GapRow, ParkedRecord, TableName, TableOp, TableRange } from './record-log.js';
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
  gaps: Map<number, GapRow>;
  byId: Map<string, number>;
  dedupe: Map<string, DedupeEntry>;
  refs: Map<string, number>;
  cursors: Map<string, number>;
  totals: Totals | undefined;
  cameras: Map<string, CameraSummary>;
  highWater: number;
  state: Map<string, unknown>;
  parked: Map<string, ParkedRecord>;
  chainHead: ChainHead | undefined;
  checkpoints: Checkpoint[];
  tables: Map<TableName, Map<string, unknown>>;
}

export function emptyMemoryLogState(): MemoryLogState {
  return {
    records: [], evicted: new Set(), gaps: new Map(), byId: new Map(), dedupe: new Map(), refs: new Map(), cursors: new Map(),
    totals: undefined, cameras: new Map(), highWater: 0, state: new Map(), parked: new Map(), chainHead: undefined, checkpoints: [],
    tables: new Map(),
  };
}

// Values are copied in and out, as a real store would serialise them.
const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export class MemoryRecordLog extends BaseRecordLog {
  constructor(private readonly s: MemoryLogState = emptyMemoryLogState(), opts: BaseLogOptions = { dedupeWindowMs: 86_400_000 }) {
    super(opts);
  }

  protected async _open(): Promise<LogSnapshot> {
    return {
      firstSeq: this.s.records[0]?.seq ?? 0,
      lastSeq: this.s.records.at(-1)?.seq ?? 0,
      highWater: this.s.highWater,
      totals: copy(this.s.totals),
      cameras: copy([...this.s.cameras.values()]),
      cursors: [...this.s.cursors.values()],
      parked: copy([...this.s.parked.values()]),
      gaps: copy([...this.s.gaps.values()].sort((a, b) => a.from_seq - b.from_seq)),
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
    if (plan.del.length > 0) {
      const gone = new Set(plan.del.map((r) => r.seq));
      for (const r of plan.del) {
        s.byId.delete(r.id);
        s.evicted.delete(r.seq);
      }
      s.records = s.records.filter((r) => !gone.has(r.seq));
    }
    for (const seq of plan.stripped) s.evicted.add(seq);
    for (const seq of plan.gaps?.del ?? []) s.gaps.delete(seq);
    for (const g of plan.gaps?.put ?? []) s.gaps.set(g.from_seq, copy(g));
    for (const r of plan.put) s.byId.set(r.id, r.seq);
    for (const [k, v] of plan.dedupe) s.dedupe.set(k, copy(v));
    for (const [sha, n] of plan.refs) {
      if (n > 0) s.refs.set(sha, n);
      else s.refs.delete(sha);
    }
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

  protected async _seqOfId(id: string): Promise<number | undefined> {
    return this.s.byId.get(id);
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

  protected async _firstSeq(): Promise<number> {
    return this.s.records[0]?.seq ?? 0;
  }

  protected async _dedupe(keys: string[]): Promise<(DedupeEntry | undefined)[]> {
    return keys.map((k) => copy(this.s.dedupe.get(k)));
  }

  protected async _dedupePage(after: string | undefined, limit: number): Promise<[string, DedupeEntry][]> {
    return [...this.s.dedupe.entries()].filter(([k]) => after === undefined || k > after).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit);
  }

  protected async _deleteDedupe(keys: string[]): Promise<void> {
    for (const k of keys) this.s.dedupe.delete(k);
  }

  protected async _refs(sha256s: string[]): Promise<number[]> {
    return sha256s.map((sha) => this.s.refs.get(sha) ?? 0);
  }

  protected async _getCursor(name: string): Promise<number | undefined> {
    return this.s.cursors.get(name);
  }

  protected async _putCursor(name: string, seq: number): Promise<void> {
    this.s.cursors.set(name, seq);
  }

  protected async _getState(key: string): Promise<unknown> {
    return copy(this.s.state.get(key));
  }

  protected async _putState(key: string, value: unknown): Promise<void> {
    this.s.state.set(key, copy(value));
  }

  protected async _compact(): Promise<void> {}

  protected async _tableWrite(name: TableName, ops: TableOp[]): Promise<void> {
    let t = this.s.tables.get(name);
    if (!t) this.s.tables.set(name, (t = new Map()));
    for (const o of ops) {
      if (o.value === undefined) t.delete(o.key);
      else t.set(o.key, copy(o.value));
    }
  }

  protected async _tableGet(name: TableName, keys: string[]): Promise<unknown[]> {
    const t = this.s.tables.get(name);
    return keys.map((k) => copy(t?.get(k)));
  }

  protected async _tableRead(name: TableName, range: TableRange): Promise<[string, unknown][]> {
    const keys = [...(this.s.tables.get(name)?.keys() ?? [])]
      .filter((k) => (range.gte === undefined || k >= range.gte) && (range.lt === undefined || k < range.lt))
      .sort();
    if (range.reverse) keys.reverse();
    const t = this.s.tables.get(name)!;
    return keys.slice(0, range.limit ?? keys.length).map((k) => [k, copy(t.get(k))]);
  }

  protected async _putCheckpoint(cp: Checkpoint): Promise<void> {
    this.s.checkpoints = [...this.s.checkpoints.filter((c) => c.seq !== cp.seq), copy(cp)].sort((a, b) => a.seq - b.seq);
  }

  protected async _checkpoints(afterSeq: number, limit: number): Promise<Checkpoint[]> {
    return copy(this.s.checkpoints.filter((c) => c.seq > afterSeq).slice(0, limit));
  }

  protected async _putParked(consumer: string, seq: number, entry: ParkedRecord | undefined): Promise<void> {
    if (entry) this.s.parked.set(`${consumer}/${seq}`, copy(entry));
    else this.s.parked.delete(`${consumer}/${seq}`);
  }
}
