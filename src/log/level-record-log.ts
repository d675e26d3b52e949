// RecordLog on LevelDB. Keyspaces (sublevels): rec (seq → record), id (id → seq),
// dedupe (key → {seq,id,at}), cursor (consumer → seq), meta (totals, per-camera rows).
// Invariant: a record, its id index, its dedupe entry and the stats it changes are written
// in one synced batch, so after any crash they agree with each other.
import { Level, type BatchOperation } from 'level';
import { GatewayError } from '../errors.js';
import type { NewRecord, RecordKind, StoredRecord } from './record.js';
import { CAMERA_KEY_PREFIX, CameraStats, TOTALS_KEY, type Totals } from './camera-stats.js';
import { GroupCommit } from './group-commit.js';
import { planEviction } from './eviction-plan.js';
import type {
  AppendListener, AppendOptions, AppendResult, CameraSummary, EvictionChange, LogStats, RecordLog,
} from './record-log.js';

interface DedupeEntry {
  seq: number;
  id: string;
  at: number;
}

interface Pending {
  record: NewRecord;
  dedupeKey: string | undefined;
}

export interface LevelRecordLogOptions {
  /** Directory of the LevelDB database. */
  location: string;
  dedupeWindowMs: number;
  maxBatchRecords: number;
  /** For tests: the clock used for dedupe windows. */
  now?: () => number;
}

const seqKey = (seq: number): string => seq.toString().padStart(16, '0');

export class LevelRecordLog implements RecordLog {
  private readonly db: Level<string, unknown>;
  private readonly recs;
  private readonly ids;
  private readonly dedupe;
  private readonly cursors;
  private readonly meta;
  private readonly committer: GroupCommit<Pending, AppendResult>;
  private readonly stats_ = new CameraStats();
  private readonly listeners = new Set<AppendListener>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pendingByKey = new Map<string, Promise<AppendResult>>();
  private readonly now: () => number;
  private writer: Promise<void> = Promise.resolve();
  private nextSeq = 1;
  private firstSeq = 0;
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';

  constructor(private readonly opts: LevelRecordLogOptions) {
    this.db = new Level<string, unknown>(opts.location, { valueEncoding: 'json' });
    this.recs = this.db.sublevel<string, StoredRecord>('rec', { valueEncoding: 'json' });
    this.ids = this.db.sublevel<string, number>('id', { valueEncoding: 'json' });
    this.dedupe = this.db.sublevel<string, DedupeEntry>('dedupe', { valueEncoding: 'json' });
    this.cursors = this.db.sublevel<string, number>('cursor', { valueEncoding: 'json' });
    this.meta = this.db.sublevel<string, unknown>('meta', { valueEncoding: 'json' });
    this.committer = new GroupCommit((items) => this.exclusive(() => this.writeBatch(items)), opts.maxBatchRecords);
    this.now = opts.now ?? Date.now;
  }

  async open(): Promise<void> {
    await this.db.open();
    // Start-up reads the two ends of the log and the small stats rows — never a full scan.
    const [last] = await this.recs.keys({ reverse: true, limit: 1 }).all();
    const [first] = await this.recs.keys({ limit: 1 }).all();
    this.nextSeq = last ? Number(last) + 1 : 1;
    this.firstSeq = first ? Number(first) : 0;
    const totals = (await this.meta.get(TOTALS_KEY)) as Totals | undefined;
    const cameras = (await this.meta
      .values({ gte: CAMERA_KEY_PREFIX, lt: `${CAMERA_KEY_PREFIX}\uffff` })
      .all()) as CameraSummary[];
    this.stats_.load(totals, cameras);
    this.state = 'open';
  }

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'new') return;
    this.state = 'closing';
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.committer.drain();
    await this.db.close();
    this.state = 'closed';
  }

  append(record: NewRecord, opts: AppendOptions = {}): Promise<AppendResult> {
    if (this.state !== 'open') {
      return Promise.reject(new GatewayError('STORE_UNAVAILABLE', 'the store is not open', { retryAfter: 5 }));
    }
    const key = opts.dedupeKey;
    if (key === undefined) return this.track(this.committer.submit({ record, dedupeKey: undefined }));
    // A resend racing its original joins the original's promise; stored ones are found
    // by the batch writer with one getMany per batch (not one read per record).
    const pending = this.pendingByKey.get(key);
    if (pending) return pending.then((r) => ({ ...r, duplicate: true }));
    const result = this.track(this.committer.submit({ record, dedupeKey: key }));
    this.pendingByKey.set(key, result);
    const forget = () => this.pendingByKey.delete(key);
    result.then(forget, forget);
    return result;
  }

  async findDuplicate(dedupeKey: string): Promise<AppendResult | undefined> {
    const pending = this.pendingByKey.get(dedupeKey);
    if (pending) return pending.then((r) => ({ ...r, duplicate: true }), () => undefined);
    return this.findStored(dedupeKey);
  }

  async get(seq: number): Promise<StoredRecord | undefined> {
    return this.recs.get(seqKey(seq));
  }

  async getById(id: string): Promise<StoredRecord | undefined> {
    const seq = await this.ids.get(id);
    return seq === undefined ? undefined : this.get(seq);
  }

  async readAfter(afterSeq: number, limit: number, kinds?: readonly RecordKind[]): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    if (limit <= 0) return out;
    // One native call for a whole page; per-item iteration costs ~10 us a record.
    if (!kinds) return this.recs.values({ gt: seqKey(Math.max(0, afterSeq)), limit }).all();
    for await (const record of this.recs.values({ gt: seqKey(Math.max(0, afterSeq)) })) {
      if (kinds && !kinds.includes(record.kind)) continue;
      out.push(record);
      if (out.length >= limit) break;
    }
    return out;
  }

  lastSeq(): number {
    return this.nextSeq - 1;
  }

  async getCursor(consumer: string): Promise<number> {
    return (await this.cursors.get(consumer)) ?? 0;
  }

  async setCursor(consumer: string, seq: number): Promise<void> {
    // Not synced: survives a process crash (OS buffers); a power cut may move a cursor back,
    // which re-delivers (at-least-once), never loses.
    await this.cursors.put(consumer, seq);
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async evict(change: EvictionChange): Promise<void> {
    if (this.state !== 'open') throw new GatewayError('STORE_UNAVAILABLE', 'the store is not open');
    return this.exclusive(() => this.writeEviction(change));
  }

  private async writeEviction(change: EvictionChange): Promise<void> {
    const effect = planEviction(change, this.stats_.totals);
    const ops: BatchOperation<typeof this.db, string, unknown>[] = [];
    for (const r of effect.rewritten) ops.push({ type: 'put', sublevel: this.recs, key: seqKey(r.seq), value: r });
    for (const r of change.remove) {
      ops.push({ type: 'del', sublevel: this.recs, key: seqKey(r.seq) });
      ops.push({ type: 'del', sublevel: this.ids, key: r.id });
    }
    ops.push({ type: 'put', sublevel: this.meta, key: TOTALS_KEY, value: effect.totals });
    await this.db.batch(ops, { sync: true });
    this.stats_.totals = effect.totals;
    if (change.remove.length > 0) {
      const [first] = await this.recs.keys({ limit: 1 }).all();
      this.firstSeq = first ? Number(first) : 0;
    }
  }

  async pruneDedupe(before: number): Promise<number> {
    // In pages, with deletes between them, so ingest is never held up for long.
    let pruned = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.dedupe.iterator({ ...(after === undefined ? {} : { gt: after }), limit: 2000 }).all();
      if (page.length === 0) return pruned;
      after = page[page.length - 1]![0];
      const old = page.filter(([, v]) => v.at < before).map(([key]) => ({ type: 'del' as const, key }));
      if (old.length > 0) await this.dedupe.batch(old);
      pruned += old.length;
    }
  }

  /** Compacts the whole keyspace so deleted ranges give their disk space back. */
  async compact(): Promise<void> {
    const db = this.db as unknown as { compactRange?: (start: string, end: string) => Promise<void> };
    await db.compactRange?.('\u0000', '\uffff');
  }

  camera(cameraId: string): CameraSummary | undefined {
    return this.stats_.cameras.get(cameraId);
  }

  stats(): LogStats {
    return this.stats_.snapshot(this.firstSeq, this.lastSeq());
  }

  /** Appends and evictions both rewrite the totals row: one at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writer.then(fn);
    this.writer = run.then(() => undefined, () => undefined);
    return run;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  private async findStored(key: string): Promise<AppendResult | undefined> {
    const hit = await this.dedupe.get(key);
    if (!hit || this.now() - hit.at > this.opts.dedupeWindowMs) return undefined;
    return { seq: hit.seq, id: hit.id, duplicate: true };
  }

  private async writeBatch(items: Pending[]): Promise<AppendResult[]> {
    const at = this.now();
    const known = await this.storedDuplicates(items, at);
    const fresh = items.filter((_, i) => !known[i]);
    const firstSeq = this.nextSeq;
    const stored = fresh.map((p, i): StoredRecord => ({ seq: firstSeq + i, ...p.record }));
    const plan = this.stats_.plan(stored);
    const ops: BatchOperation<typeof this.db, string, unknown>[] = [];
    stored.forEach((r, i) => {
      ops.push({ type: 'put', sublevel: this.recs, key: seqKey(r.seq), value: r });
      ops.push({ type: 'put', sublevel: this.ids, key: r.id, value: r.seq });
      const key = fresh[i]!.dedupeKey;
      if (key !== undefined) ops.push({ type: 'put', sublevel: this.dedupe, key, value: { seq: r.seq, id: r.id, at } });
    });
    if (stored.length > 0) {
      ops.push({ type: 'put', sublevel: this.meta, key: TOTALS_KEY, value: plan.totals });
      for (const [id, row] of plan.cameras) ops.push({ type: 'put', sublevel: this.meta, key: CAMERA_KEY_PREFIX + id, value: row });
      // Reserve the seqs before awaiting so a concurrent batch could never reuse them.
      this.nextSeq += stored.length;
      try {
        await this.db.batch(ops, { sync: true });
      } catch (err) {
        this.nextSeq = firstSeq;
        throw new GatewayError('STORE_UNAVAILABLE', 'writing to the store failed', { cause: err, retryAfter: 5 });
      }
      plan.commit();
      if (this.firstSeq === 0) this.firstSeq = firstSeq;
      const last = this.lastSeq();
      for (const listener of this.listeners) listener(last);
    }
    let next = 0;
    return items.map((_, i) => known[i] ?? { seq: stored[next]!.seq, id: stored[next++]!.id, duplicate: false });
  }

  /** For each item, the stored record with its dedupe key inside the window (one getMany). */
  private async storedDuplicates(items: Pending[], at: number): Promise<(AppendResult | undefined)[]> {
    const keyed = items.map((p, i) => [p.dedupeKey, i] as const).filter((e): e is readonly [string, number] => e[0] !== undefined);
    const out: (AppendResult | undefined)[] = new Array(items.length).fill(undefined);
    if (keyed.length === 0) return out;
    const hits = await this.dedupe.getMany(keyed.map(([k]) => k));
    keyed.forEach(([, i], j) => {
      const hit = hits[j];
      if (hit && at - hit.at <= this.opts.dedupeWindowMs) out[i] = { seq: hit.seq, id: hit.id, duplicate: true };
    });
    return out;
  }
}
