// Every rule of the log, shared by its backends (the pattern of abstract-level: public
// methods check state and plan; the backend's ten `_` methods only store: records, and
// keyspaces of ordered keys and JSON values, log-backend.ts). Invariants:
//  - a record, its id index, dedupe entry, image reference counts and the totals it
//    changes are one synced batch (WritePlan);
//  - seqs only grow: the high-water mark is in every append batch, and open() starts
//    above it, above the last record and above every consumer cursor;
//  - a backend that failed a write is never written again: the log refuses every write
//    at once (507/503), then closes and reopens the backend (LevelDB repairs its log on
//    open) until it is healthy again.
import type { Logger } from 'pino';
import { GatewayError, gatewayError } from '../errors.js';
import { CameraStats, emptyTotals } from './camera-stats.js';
import { planEviction } from './eviction-plan.js';
import { GroupCommit } from './group-commit.js';
import { TailCache } from './tail-cache.js';
import { planGaps } from './gap-rows.js';
import { liveImages, planRefs, refDeltas } from './image-refs.js';
import { tableSpace, type ChainHead, type DedupeEntry, type Keyspace, type KvOp, type KvRange, type LogSnapshot, type WritePlan } from './log-backend.js';
import { GENESIS_HASH, holdsImages, renderRest, sealLine, storedRecord } from './record-line.js';
import type {
  AppendListener, AppendOptions, AppendResult, CameraSummary, DeliveryHold, EvictionChange, EvictionResult, GapRow, LogStats, RecordLog, StoreHealth,
  Table, TableName,
} from './record-log.js';
import type { NewRecord, RecordKind, StoredRecord } from './record.js';
import { writeError } from './store-failure.js';
import { StoreLatch } from './store-latch.js';

/** What the log asks of the image files it counts references to. */
export interface ImageFiles {
  /** Deletes files whose last reference went (unless an ingest holds them). */
  removeUnreferenced(sha256s: string[]): Promise<void>;
}

export interface BaseLogOptions {
  dedupeWindowMs: number;
  maxBatchRecords?: number;
  /** The clock of dedupe windows (tests move it). */
  now?: () => number;
  files?: ImageFiles;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Waits between attempts to reopen after a failure. */
  recoveryDelaysMs?: readonly number[];
  /** Fault injection for tests: consulted before each backend write; an Error fails it. */
  writeFault?: () => Error | undefined;
  /** Benchmark only: store lines without hashing them (bench:pipeline's chain-off run). */
  benchUnhashed?: boolean;
}

interface Pending {
  record: NewRecord;
  dedupeKey: string | undefined;
  /** The record's line after prev_hash, rendered at append (see renderRest). */
  rest: Buffer;
}

export abstract class BaseRecordLog implements RecordLog {
  // A backend stores; it decides nothing. Records (with their ends, the evicted marks and
  // the atomic WritePlan) are its own; everything else is a keyspace of ordered keys and
  // JSON values, read and written through three methods.
  protected abstract _open(): Promise<LogSnapshot>;
  /** `clean`: a normal shutdown (not closing a failed backend to reopen it). */
  protected abstract _close(clean: boolean): Promise<void>;
  /** Makes the plan durable in one atomic, synced write. */
  protected abstract _commit(plan: WritePlan): Promise<void>;
  protected abstract _get(seqs: number[]): Promise<(StoredRecord | undefined)[]>;
  protected abstract _range(afterSeq: number, limit: number): Promise<StoredRecord[]>;
  /** Records below a seq, newest first. */
  protected abstract _rangeBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]>;
  protected abstract _compact(): Promise<void>;
  /** Values of these keys (undefined where none). */
  protected abstract _kvGet(space: Keyspace, keys: string[]): Promise<unknown[]>;
  protected abstract _kvRange(space: Keyspace, range: KvRange): Promise<[string, unknown][]>;
  /** Puts (value given) and deletes (value undefined), atomically; `sync` makes them durable before resolving. */
  protected abstract _kvWrite(space: Keyspace, ops: KvOp[], sync: boolean): Promise<void>;

  private readonly committer: GroupCommit<Pending, AppendResult>;
  private readonly stats_ = new CameraStats();
  private readonly listeners = new Set<AppendListener>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pendingByKey = new Map<string, Promise<AppendResult>>();
  private readonly now: () => number;
  private writer: Promise<unknown> = Promise.resolve();
  private nextSeq = 1;
  private first = 0;
  /** The store's health and the failure latch (store-latch.ts). */
  private readonly latch: StoreLatch;
  /** Records no "delivered" eviction may take (holdDelivered). */
  private readonly holds = new Set<DeliveryHold>();
  private head: ChainHead | undefined;
  /** Removed stretches of the chain (gap-rows.ts), by first seq: a few rows, loaded at open. */
  private gaps_ = new Map<number, GapRow>();
  /** The newest records, for readers close behind (tail-cache.ts); emptied by any rewrite. */
  private readonly tail = new TailCache();

  constructor(protected readonly base: BaseLogOptions) {
    this.now = base.now ?? Date.now;
    this.latch = new StoreLatch({
      delaysMs: base.recoveryDelaysMs, logger: base.logger,
      settle: () => this.writer,
      reopen: async () => {
        await this._close(false).catch(() => undefined);
        await this.load(await this._open());
        return { lastSeq: this.lastSeq() };
      },
    });
    this.committer = new GroupCommit((items) => this.exclusive(() => this.writeBatch(items)), base.maxBatchRecords ?? 1000);
  }

  private async dedupeRows(keys: string[]): Promise<(DedupeEntry | undefined)[]> {
    return (await this._kvGet('dedupe', keys)) as (DedupeEntry | undefined)[];
  }

  private async refCounts(sha256s: string[]): Promise<number[]> {
    return (await this._kvGet('ref', sha256s)).map((n) => (n as number | undefined) ?? 0);
  }

  async open(opts: { retry?: boolean } = {}): Promise<void> {
    try {
      await this.load(await this._open());
    } catch (err) {
      // A gateway on a full disk must still come up and say so (a start that exits is a
      // restart loop under systemd, and cameras get "connection refused", not 507).
      if (opts.retry) this.latch.openFailed(err);
      throw err;
    }
    this.latch.opened();
  }

  async close(): Promise<void> {
    const s = this.latch.state;
    if (s === 'closed' || s === 'new' || s === 'closing') return;
    await this.latch.closing();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.committer.drain();
    await this.writer;
    await this._close(s === 'open').catch(() => undefined);
    this.latch.closed();
  }

  append(record: NewRecord, opts: AppendOptions = {}): Promise<AppendResult> {
    if (this.latch.state !== 'open') return Promise.reject(this.latch.refusal());
    if (record.images.length > 0 && !holdsImages(record.kind)) {
      return Promise.reject(new Error(`a ${record.kind} record holds no images (only a detection's line lists them)`));
    }
    const key = opts.dedupeKey;
    // Rendered here, not in the one-at-a-time batch writer, which only prefixes the chain.
    const rest = renderRest(record);
    if (key === undefined) return this.track(this.committer.submit({ record, dedupeKey: undefined, rest }));
    // A resend racing its original joins the original's promise; stored ones are found
    // by the batch writer with one read per batch (not one per record).
    const pending = this.pendingByKey.get(key);
    if (pending) return pending.then((r) => ({ ...r, duplicate: true }));
    const result = this.track(this.committer.submit({ record, dedupeKey: key, rest }));
    this.pendingByKey.set(key, result);
    const forget = () => this.pendingByKey.delete(key);
    result.then(forget, forget);
    return result;
  }

  async findDuplicate(dedupeKey: string): Promise<AppendResult | undefined> {
    this.check('read');
    const pending = this.pendingByKey.get(dedupeKey);
    if (pending) return pending.then((r) => ({ ...r, duplicate: true }), () => undefined);
    const [hit] = await this.read(() => this.dedupeRows([dedupeKey]));
    return hit && this.inWindow(hit, this.now()) ? { seq: hit.seq, id: hit.id, duplicate: true } : undefined;
  }

  async get(seq: number): Promise<StoredRecord | undefined> {
    this.check('read');
    return (await this.read(() => this._get([seq])))[0];
  }

  async getById(id: string): Promise<StoredRecord | undefined> {
    this.check('read');
    const [seq] = (await this.read(() => this._kvGet('id', [id]))) as (number | undefined)[];
    return seq === undefined ? undefined : this.get(seq);
  }

  async readAfter(afterSeq: number, limit: number, kinds?: readonly RecordKind[]): Promise<StoredRecord[]> {
    this.check('read');
    if (limit <= 0) return [];
    if (!kinds) return this.range(Math.max(0, afterSeq), limit);
    const out: StoredRecord[] = [];
    for (let pos = Math.max(0, afterSeq); out.length < limit;) {
      const page = await this.range(pos, Math.max(limit, 500));
      if (page.length === 0) break;
      pos = page[page.length - 1]!.seq;
      for (const r of page) if (kinds.includes(r.kind) && out.length < limit) out.push(r);
    }
    return out;
  }

  /** Records after a seq: from the tail when it reaches back that far, else from the store. */
  private range(afterSeq: number, limit: number): Promise<StoredRecord[]> {
    return this.read(async () => this.tail.after(afterSeq, limit) ?? this._range(afterSeq, limit));
  }

  async readBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]> {
    this.check('read');
    return this.read(() => this._rangeBefore(beforeSeq, limit));
  }

  lastSeq(): number {
    return this.nextSeq - 1;
  }

  async getCursor(consumer: string): Promise<number> {
    this.check('read');
    const [seq] = await this.read(() => this._kvGet('cursor', [consumer]));
    return (seq as number | undefined) ?? 0;
  }

  /** Not synced: a power cut may move a cursor back (re-delivery), never forward. */
  async setCursor(consumer: string, seq: number): Promise<void> {
    this.check('write');
    return this.write(() => this._kvWrite('cursor', [{ key: consumer, value: seq }], false));
  }

  async getState<T>(key: string): Promise<T | undefined> {
    this.check('read');
    return (await this.read(() => this._kvGet('state', [key])))[0] as T | undefined;
  }

  async setState(key: string, value: unknown): Promise<void> {
    this.check('write');
    return this.write(() => this._kvWrite('state', [{ key, value }], false));
  }

  table<V>(name: TableName): Table<V> {
    const space = tableSpace(name);
    return {
      get: async (keys) => {
        this.check('read');
        return keys.length === 0 ? [] : ((await this.read(() => this._kvGet(space, keys))) as (V | undefined)[]);
      },
      range: async (range) => {
        this.check('read');
        return (await this.read(() => this._kvRange(space, range))) as [string, V][];
      },
      write: async (ops, opts = {}) => {
        this.check('write');
        if (ops.length > 0) await this.write(() => this._kvWrite(space, ops, opts.sync ?? false));
      },
    };
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onHealth(listener: (h: StoreHealth) => void): () => void {
    return this.latch.onChange(listener);
  }

  health(): StoreHealth {
    return this.latch.health();
  }

  evict(change: EvictionChange): Promise<EvictionResult> {
    if (this.latch.state !== 'open') return Promise.reject(this.latch.refusal());
    return this.exclusive(() => this.writeEviction(change));
  }

  async imageRefs(sha256s: string[]): Promise<number[]> {
    this.check('read');
    return sha256s.length === 0 ? [] : this.read(() => this.refCounts(sha256s));
  }

  /**
   * Deletes those of these files no record references (the orphan sweep). Under the write
   * lock: an append taking a reference cannot slip between the check and the delete.
   */
  removeUnreferencedImages(sha256s: string[]): Promise<number> {
    if (this.latch.state !== 'open') return Promise.reject(this.latch.refusal());
    return this.exclusive(async () => {
      const refs = await this.read(() => this.refCounts(sha256s));
      const orphans = sha256s.filter((_, i) => refs[i] === 0);
      await this.base.files?.removeUnreferenced(orphans);
      return orphans.length;
    });
  }

  async pruneDedupe(before: number): Promise<number> {
    this.check('write');
    // In pages, each deleted under the write lock after a re-check, so an entry an append
    // has just renewed is never dropped, and ingest waits at most one page.
    let pruned = 0;
    for (let after: string | undefined; ;) {
      const page = (await this.read(() => this._kvRange('dedupe', { ...(after === undefined ? {} : { gt: after }), limit: 2000 }))) as [string, DedupeEntry][];
      if (page.length === 0) return pruned;
      after = page[page.length - 1]![0];
      const old = page.filter(([, v]) => v.at < before).map(([k]) => k);
      if (old.length === 0) continue;
      pruned += await this.exclusive(async () => {
        const now = await this.read(() => this.dedupeRows(old));
        const still = old.filter((_, i) => (now[i]?.at ?? Infinity) < before);
        if (still.length > 0) await this.write(() => this._kvWrite('dedupe', still.map((key) => ({ key })), false));
        return still.length;
      });
    }
  }

  async compact(): Promise<void> {
    this.check('write');
    return this.write(() => this._compact());
  }

  holdDelivered(hold: DeliveryHold): () => void {
    this.holds.add(hold);
    return () => this.holds.delete(hold);
  }

  gaps(): GapRow[] {
    return [...this.gaps_.values()].sort((a, b) => a.from_seq - b.from_seq).map((g) => ({ ...g, reasons: [...g.reasons] }));
  }

  /** The newest record's seq and hash: what a signed checkpoint covers. */
  chainHead(): ChainHead | undefined {
    return this.head ? { ...this.head } : undefined;
  }

  private held(seq: number): boolean {
    for (const hold of this.holds) if (hold(seq)) return true;
    return false;
  }

  camera(cameraId: string): CameraSummary | undefined {
    return this.stats_.cameras.get(cameraId);
  }

  stats(): LogStats {
    return this.stats_.snapshot(this.first, this.lastSeq());
  }

  // ---- internals ----------------------------------------------------------------------

  private async load(snap: LogSnapshot): Promise<void> {
    this.tail.clear();
    const logged = Math.max(snap.lastSeq, snap.highWater);
    const cursor = Math.max(0, ...snap.cursors);
    if (cursor > logged) {
      this.base.logger?.warn({ cursor, lastSeq: snap.lastSeq, highWater: snap.highWater },
        `a consumer cursor (${cursor}) is ahead of the log (last seq ${logged}): new records start at ${cursor + 1} so none is taken as delivered`);
    }
    this.nextSeq = Math.max(logged, cursor) + 1;
    this.first = snap.firstSeq;
    this.stats_.load(snap.totals, snap.cameras);
    this.head = snap.chainHead;
    this.gaps_ = new Map(snap.gaps.map((g) => [g.from_seq, g]));
  }

  private inWindow(hit: DedupeEntry, at: number): boolean {
    return at - hit.at <= this.base.dedupeWindowMs;
  }

  /** Appends and evictions both rewrite the totals and reference rows: one at a time. */
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

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    const s = this.latch.state;
    if (s !== 'open' && s !== 'failed' && s !== 'closing') throw this.latch.refusal();
    try {
      return await fn();
    } catch (err) {
      throw err instanceof GatewayError ? err : gatewayError('STORE_READ_FAILED', { cause: err });
    }
  }

  /**
   * The gate of every public method, as abstract-level's: writes need an open log; reads an
   * open one or one that failed a write (its backend still reads). New, closing, closed and
   * recovering refuse. The log's own work during close (the last group commits) goes
   * through read()/write() below, which also let 'closing' pass.
   */
  private check(op: 'read' | 'write'): void {
    const s = this.latch.state;
    if (s !== 'open' && !(op === 'read' && s === 'failed')) throw this.latch.refusal();
  }

  /** Every backend write goes through here: the first failure latches (see top). */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    const s = this.latch.state;
    if (s !== 'open' && s !== 'closing') throw this.latch.refusal();
    try {
      const fault = this.base.writeFault?.();
      if (fault) throw fault;
      return await fn();
    } catch (err) {
      this.fail(err);
      throw writeError(err);
    }
  }

  writeFailed(err: unknown): void {
    this.fail(err);
  }

  private fail(err: unknown): void {
    // A failed batch's seqs are skipped, but it may surface after LevelDB's recovery:
    // from here on only the store says what is there.
    this.tail.clear();
    this.latch.failed(err);
  }

  private async writeBatch(items: Pending[]): Promise<AppendResult[]> {
    if (this.latch.state !== 'open' && this.latch.state !== 'closing') throw this.latch.refusal();
    const at = this.now();
    const keyed = items.map((p, i) => [p.dedupeKey, i] as const).filter((e): e is readonly [string, number] => e[0] !== undefined);
    const hits = keyed.length ? await this.read(() => this.dedupeRows(keyed.map(([k]) => k))) : [];
    const known: (AppendResult | undefined)[] = new Array(items.length).fill(undefined);
    keyed.forEach(([, i], j) => {
      const hit = hits[j];
      if (hit && this.inWindow(hit, at)) known[i] = { seq: hit.seq, id: hit.id, duplicate: true };
    });
    const fresh = items.filter((_, i) => !known[i]);
    const firstSeq = this.nextSeq;
    if (fresh.length > 0) {
      // The chain is extended inside the same synced batch: a crash never leaves a gap.
      let prev = this.head?.hash ?? GENESIS_HASH;
      const stored = fresh.map((p, i): StoredRecord => {
        const seq = firstSeq + i;
        const sealed = sealLine(p.rest, seq, prev, this.base.benchUnhashed);
        const r = storedRecord(p.record, seq, prev, sealed);
        prev = sealed.hash;
        return r;
      });
      const deltas = refDeltas(stored, 1);
      const refs = planRefs(deltas, deltas.size ? await this.read(() => this.refCounts([...deltas.keys()])) : []);
      const stats = this.stats_.plan(stored);
      stats.totals.liveBytes += refs.addedBytes;
      const dedupe: [string, DedupeEntry][] = [];
      stored.forEach((r, i) => {
        const key = fresh[i]!.dedupeKey;
        if (key !== undefined) dedupe.push([key, { seq: r.seq, id: r.id, at }]);
      });
      const last = firstSeq + stored.length - 1;
      const head = { seq: last, hash: prev };
      // Reserved before awaiting, and never handed back: a failed (unacknowledged) batch
      // may still surface after LevelDB's recovery, so its seqs are not reused.
      this.nextSeq = last + 1;
      await this.write(() => this._commit({
        put: stored, del: [], stripped: [], dedupe, refs: refs.refs, totals: stats.totals, cameras: [...stats.cameras.values()], highWater: last, chainHead: head,
      }));
      this.head = head;
      this.tail.add(stored);
      stats.commit();
      if (this.first === 0) this.first = firstSeq;
      for (const listener of this.listeners) listener(last);
    }
    let next = firstSeq;
    return items.map((p, i) => known[i] ?? { seq: next++, id: p.record.id, duplicate: false });
  }

  private async writeEviction(change: EvictionChange): Promise<EvictionResult> {
    // Work on the records as stored now: a concurrent eviction may have taken some already.
    // (each seq once: a caller's list may name a record twice)
    const seqs = (rs: StoredRecord[]) => [...new Set(rs.map((r) => r.seq))];
    const [removeNow, stripNow] = await Promise.all([
      this.read(() => this._get(seqs(change.remove))),
      this.read(() => this._get(seqs(change.stripImages))),
    ]);
    // A held record (parked: never delivered) is taken by no "delivered" eviction.
    const asDelivered = change.reason.startsWith('delivered') || change.reason === 'retention_delivered';
    const keep = (r: StoredRecord) => !asDelivered || !this.held(r.seq);
    const remove = removeNow.filter((r): r is StoredRecord => r !== undefined && keep(r));
    const removing = new Set(seqs(remove));
    const strip = stripNow.filter((r): r is StoredRecord => r !== undefined && keep(r) && !removing.has(r.seq) && liveImages(r).length > 0);
    if (remove.length === 0 && strip.length === 0) return { records: 0, freedImages: 0, freedBytes: 0 };
    const deltas = refDeltas([...remove, ...strip], -1);
    const refs = planRefs(deltas, deltas.size ? await this.read(() => this.refCounts([...deltas.keys()])) : []);
    const before = this.stats_.totals;
    const effect = planEviction(change.reason, remove, strip, refs, before);
    // Removed stretches stay visible as what they are (export gap lines), never as a break.
    const gaps = planGaps([...this.gaps_.values()], remove, change.reason);
    this.tail.clear(); // records in it may be going or losing images
    await this.write(() => this._commit({
      put: [], del: remove, stripped: strip.map((r) => r.seq), dedupe: [], refs: refs.refs, totals: effect.totals, cameras: [],
      ...(gaps.put.length + gaps.del.length > 0 ? { gaps } : {}),
    }));
    this.stats_.totals = effect.totals;
    for (const seq of gaps.del) this.gaps_.delete(seq);
    for (const g of gaps.put) this.gaps_.set(g.from_seq, g);
    if (remove.length > 0) this.first = (await this.read(() => this._range(0, 1)))[0]?.seq ?? 0;
    // Files go after the records that pointed at them are durable: a crash leaves an
    // unreferenced file (the orphan sweep's), never a record pointing at nothing.
    if (refs.freed.length > 0) await this.base.files?.removeUnreferenced(refs.freed);
    return { records: remove.length + strip.length, freedImages: refs.freed.length, freedBytes: before.liveBytes - effect.totals.liveBytes };
  }
}
