// The log on LevelDB. Keyspaces (sublevels): rec (seq → the record's line, as bytes), id
// (id → seq), evicted (seq → images evicted: the state beside a record), gap (first seq →
// a removed run), dedupe (key → {seq,id,at}), ref (image sha256 → references), cursor
// (consumer → seq), meta (format, totals, per-camera rows, high-water mark, chain head, job
// state), parked (consumer/seq → why), checkpoint (seq → signed checkpoint), table:<name>
// (side tables: hotlist, plate index). Every rule is in BaseRecordLog; this file only maps
// a WritePlan onto one synced LevelDB batch.
import { Level } from 'level';
import { BaseRecordLog, type BaseLogOptions } from './base-record-log.js';
import { CAMERA_KEY_PREFIX, TOTALS_KEY, type Totals } from './camera-stats.js';
import type { ChainHead, DedupeEntry, LogSnapshot, WritePlan } from './log-backend.js';
import { decodeLine } from './record-line.js';
import type { CameraSummary, Checkpoint, GapRow, ParkedRecord, TableName, TableOp, TableRange } from './record-log.js';
import type { StoredRecord } from './record.js';
import { StoreFormatError, STORE_FORMAT } from './store-format.js';

export interface LevelRecordLogOptions extends BaseLogOptions {
  /** Directory of the LevelDB database. */
  location: string;
}

/**
 * LevelDB's memtable (default 4 MB). Every record also writes small rows in random key
 * order (dedupe, plate index), so each flush to level 0 overlaps, and makes compaction
 * rewrite, the level-1 files around it: measured under Socket.IO ingest, LevelDB's
 * compaction thread took 45-53 % of a core at 4 MB, 33 % at 8 MB, 17-20 % at 16 MB. The
 * memory is used only as writes come (and flushed at a clean close: see _close).
 */
const WRITE_BUFFER_BYTES = 16 * 1024 * 1024;
const HIGH_WATER_KEY = 'high-water';
const FORMAT_KEY = 'format';
const CHAIN_HEAD_KEY = 'chain-head';
const STATE_PREFIX = 'state:';
type ChainedBatch = ReturnType<Level<string, string>['batch']>;
/** A value that is already UTF-8 bytes (a record's line) goes in as it is. */
const AS_BYTES = { valueEncoding: 'buffer' } as const;
const seqKey = (seq: number): string => seq.toString().padStart(16, '0');
/**
 * Bytes one native read of a range may gather (classic-level's default is 16 KB): a page
 * of 500 records of 1.3 KB took about 40 trips through the thread pool, each a promise on
 * the main thread; with this, one. Pages are bounded by their count anyway.
 */
const PAGE = { highWaterMarkBytes: 1024 * 1024 } as const;

/** One LevelDB handle and its keyspaces; a fresh one for every (re)open. */
function openHandles(location: string) {
  // The root takes ready text (prefixed keys, JSON values: see _commit); the sublevels
  // read and write JSON.
  const db = new Level<string, string>(location, { valueEncoding: 'utf8', writeBufferSize: WRITE_BUFFER_BYTES });
  return {
    db,
    recs: db.sublevel<string, Buffer>('rec', { valueEncoding: 'buffer' }),
    ids: db.sublevel<string, number>('id', { valueEncoding: 'json' }),
    evicted: db.sublevel<string, string>('evicted', { valueEncoding: 'utf8' }),
    gaps: db.sublevel<string, GapRow>('gap', { valueEncoding: 'json' }),
    dedupe: db.sublevel<string, DedupeEntry>('dedupe', { valueEncoding: 'json' }),
    refs: db.sublevel<string, number>('ref', { valueEncoding: 'json' }),
    cursors: db.sublevel<string, number>('cursor', { valueEncoding: 'json' }),
    meta: db.sublevel<string, unknown>('meta', { valueEncoding: 'json' }),
    parked: db.sublevel<string, ParkedRecord>('parked', { valueEncoding: 'json' }),
    checkpoints: db.sublevel<string, Checkpoint>('checkpoint', { valueEncoding: 'json' }),
    tables: new Map<TableName, ReturnType<typeof db.sublevel<string, unknown>>>(),
  };
}

export class LevelRecordLog extends BaseRecordLog {
  // A handle that saw a failed write is closed and replaced, never written again.
  private h: ReturnType<typeof openHandles>;

  constructor(private readonly opts: LevelRecordLogOptions) {
    super(opts);
    this.h = openHandles(opts.location);
  }

  protected async _open(): Promise<LogSnapshot> {
    if (this.h.db.status !== 'opening' && this.h.db.status !== 'open') this.h = openHandles(this.opts.location);
    const { db, recs, cursors, meta, parked, gaps } = this.h;
    await db.open();
    const [[last], [first], cursorRows, metaRows] = await Promise.all([
      recs.keys({ reverse: true, limit: 1 }).all(),
      recs.keys({ limit: 1 }).all(),
      cursors.values().all(),
      meta.getMany([TOTALS_KEY, HIGH_WATER_KEY, FORMAT_KEY, CHAIN_HEAD_KEY]),
    ]);
    await this.checkFormat(metaRows[2], first !== undefined || metaRows[0] !== undefined);
    const cameras = (await meta.values({ gte: CAMERA_KEY_PREFIX, lt: `${CAMERA_KEY_PREFIX}\uffff` }).all()) as CameraSummary[];
    const [parkedRows, gapRows] = await Promise.all([parked.values().all(), gaps.values().all()]);
    return {
      firstSeq: first ? Number(first) : 0,
      lastSeq: last ? Number(last) : 0,
      highWater: Number(metaRows[1] ?? 0),
      totals: metaRows[0] as Totals | undefined,
      cameras,
      cursors: cursorRows,
      parked: parkedRows,
      gaps: gapRows,
      chainHead: metaRows[3] as ChainHead | undefined,
    };
  }

  /**
   * A store of another record format is refused, never misread (store-format.ts). A new,
   * empty store is marked with this one's.
   */
  private async checkFormat(format: unknown, used: boolean): Promise<void> {
    if (format === STORE_FORMAT) return;
    if (format !== undefined || used) throw new StoreFormatError(this.opts.location, format);
    await this.h.meta.put(FORMAT_KEY, STORE_FORMAT);
  }

  protected async _close(clean: boolean): Promise<void> {
    // A clean close first writes the memtable out (LevelDB's CompactRange always flushes
    // it; the empty key range compacts nothing else): the next start then has no log to
    // replay into a memtable of up to WRITE_BUFFER_BYTES. After a failure it is skipped.
    if (clean && this.h.db.status === 'open') await this.compactRange('\u0000', '\u0000').catch(() => undefined);
    return this.h.db.close();
  }

  protected async _commit(plan: WritePlan): Promise<void> {
    // Keys carry their sublevel's prefix and values are JSON text already, and they go into
    // a chained batch: LevelDB gets ready strings one native call each. The array form of
    // batch() clones and re-encodes every operation in JS (about 4 us each, 3+ per record),
    // which made it the largest single cost of durable ingest; reads still go through the
    // sublevels, which decode the same text.
    await this.chained((batch) => this.fill(batch, plan), true);
  }

  /** One chained batch (closed, not leaked, if filling it throws). */
  private async chained(fill: (batch: ChainedBatch) => void, sync: boolean): Promise<void> {
    const batch = this.h.db.batch();
    try {
      fill(batch);
    } catch (err) {
      await batch.close();
      throw err;
    }
    await batch.write({ sync });
  }

  private fill(batch: ChainedBatch, plan: WritePlan): void {
    const { recs, ids, evicted, gaps, dedupe, refs, meta } = this.h;
    for (const r of plan.put) {
      batch.put<string, Buffer>(recs.prefix + seqKey(r.seq), r.line, AS_BYTES);
      batch.put(ids.prefix + r.id, String(r.seq));
    }
    for (const seq of plan.stripped) batch.put(evicted.prefix + seqKey(seq), '1');
    for (const r of plan.del) {
      batch.del(recs.prefix + seqKey(r.seq));
      batch.del(ids.prefix + r.id);
      batch.del(evicted.prefix + seqKey(r.seq));
    }
    for (const seq of plan.gaps?.del ?? []) batch.del(gaps.prefix + seqKey(seq));
    for (const g of plan.gaps?.put ?? []) batch.put(gaps.prefix + seqKey(g.from_seq), JSON.stringify(g));
    for (const [key, value] of plan.dedupe) batch.put(dedupe.prefix + key, JSON.stringify(value));
    for (const [sha, n] of plan.refs) {
      if (n > 0) batch.put(refs.prefix + sha, String(n));
      else batch.del(refs.prefix + sha);
    }
    batch.put(meta.prefix + TOTALS_KEY, JSON.stringify(plan.totals));
    for (const row of plan.cameras) batch.put(meta.prefix + CAMERA_KEY_PREFIX + row.camera_id, JSON.stringify(row));
    if (plan.highWater !== undefined) batch.put(meta.prefix + HIGH_WATER_KEY, String(plan.highWater));
    if (plan.chainHead) batch.put(meta.prefix + CHAIN_HEAD_KEY, JSON.stringify(plan.chainHead));
  }

  protected async _get(seqs: number[]): Promise<(StoredRecord | undefined)[]> {
    if (seqs.length === 0) return [];
    const keys = seqs.map(seqKey);
    const [lines, marks] = await Promise.all([this.h.recs.getMany(keys), this.h.evicted.getMany(keys)]);
    return lines.map((line, i) => (line ? decodeLine(line, marks[i] !== undefined) : undefined));
  }

  /** Lines of a range, decoded with the evicted marks of the same range (one read each). */
  private async decodeRange(rows: [string, Buffer][]): Promise<StoredRecord[]> {
    if (rows.length === 0) return [];
    const a = rows[0]![0];
    const b = rows.at(-1)![0];
    const marks = new Set(await this.h.evicted.keys({ gte: a < b ? a : b, lte: a < b ? b : a }).all());
    return rows.map(([key, line]) => decodeLine(line, marks.has(key)));
  }

  protected _seqOfId(id: string): Promise<number | undefined> {
    return this.h.ids.get(id);
  }

  protected async _range(afterSeq: number, limit: number): Promise<StoredRecord[]> {
    // One native call for a whole page; per-item iteration costs ~10 us a record.
    return this.decodeRange(await this.h.recs.iterator({ gt: seqKey(afterSeq), limit, ...PAGE }).all());
  }

  protected async _rangeBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]> {
    return this.decodeRange(await this.h.recs.iterator({ lt: seqKey(beforeSeq), reverse: true, limit, ...PAGE }).all());
  }

  protected async _firstSeq(): Promise<number> {
    const [first] = await this.h.recs.keys({ limit: 1 }).all();
    return first ? Number(first) : 0;
  }

  protected _dedupe(keys: string[]): Promise<(DedupeEntry | undefined)[]> {
    return this.h.dedupe.getMany(keys);
  }

  protected _dedupePage(after: string | undefined, limit: number): Promise<[string, DedupeEntry][]> {
    return this.h.dedupe.iterator({ ...(after === undefined ? {} : { gt: after }), limit, ...PAGE }).all();
  }

  protected _deleteDedupe(keys: string[]): Promise<void> {
    return this.h.dedupe.batch(keys.map((key) => ({ type: 'del' as const, key })));
  }

  protected async _refs(sha256s: string[]): Promise<number[]> {
    return (await this.h.refs.getMany(sha256s)).map((n) => n ?? 0);
  }

  protected _getCursor(name: string): Promise<number | undefined> {
    return this.h.cursors.get(name);
  }

  protected _putCursor(name: string, seq: number): Promise<void> {
    return this.h.cursors.put(name, seq);
  }

  protected _getState(key: string): Promise<unknown> {
    return this.h.meta.get(STATE_PREFIX + key);
  }

  protected _putState(key: string, value: unknown): Promise<void> {
    return this.h.meta.put(STATE_PREFIX + key, value);
  }

  protected _putParked(consumer: string, seq: number, entry: ParkedRecord | undefined): Promise<void> {
    const key = `${consumer}/${seqKey(seq)}`;
    const { db, parked } = this.h;
    return db.batch([entry ? { type: 'put', sublevel: parked, key, value: entry } : { type: 'del', sublevel: parked, key }], { sync: true });
  }

  protected _putCheckpoint(cp: Checkpoint): Promise<void> {
    const { db, checkpoints } = this.h;
    return db.batch([{ type: 'put', sublevel: checkpoints, key: seqKey(cp.seq), value: cp }], { sync: true });
  }

  protected _checkpoints(afterSeq: number, limit: number): Promise<Checkpoint[]> {
    return this.h.checkpoints.values({ gt: seqKey(afterSeq), limit, ...PAGE }).all();
  }

  private table(name: TableName) {
    const { db, tables } = this.h;
    let t = tables.get(name);
    if (!t) {
      t = db.sublevel<string, unknown>(`table:${name}`, { valueEncoding: 'json' });
      tables.set(name, t);
    }
    return t;
  }

  protected _tableWrite(name: TableName, ops: TableOp[], sync: boolean): Promise<void> {
    // Prefixed keys and JSON text on the root database, as in _commit: the plate index
    // writes a few rows for every detection.
    const { prefix } = this.table(name);
    return this.chained((batch) => {
      for (const o of ops) {
        if (o.value === undefined) batch.del(prefix + o.key);
        else batch.put(prefix + o.key, JSON.stringify(o.value));
      }
    }, sync);
  }

  protected _tableRead(name: TableName, range: TableRange): Promise<[string, unknown][]> {
    return this.table(name).iterator({ ...range, ...PAGE }).all();
  }

  protected _tableGet(name: TableName, keys: string[]): Promise<unknown[]> {
    return this.table(name).getMany(keys);
  }

  /** Compacts the whole keyspace so deleted ranges give their disk space back. */
  protected _compact(): Promise<void> {
    return this.compactRange('\u0000', '\uffff');
  }

  private compactRange(start: string, end: string): Promise<void> {
    // classic-level has compactRange; its types (through level) do not declare it.
    const db = this.h.db as unknown as { compactRange: (start: string, end: string) => Promise<void> };
    return db.compactRange(start, end);
  }
}
