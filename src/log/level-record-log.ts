// The log on LevelDB. Sublevels: rec (seq → the record's line, as bytes), evicted (seq →
// images evicted: the state beside a record), meta (format, totals, per-camera rows,
// high-water mark, chain head), and one per keyspace of log-backend.ts (id, ref, dedupe,
// cursor, state, parked, checkpoint, gap, table:<name>). Every rule is in BaseRecordLog;
// this file only maps a WritePlan onto one synced LevelDB batch, and keyspace reads and
// writes onto their sublevels.
import { Level } from 'level';
import { BaseRecordLog, type BaseLogOptions } from './base-record-log.js';
import { CAMERA_KEY_PREFIX, TOTALS_KEY, type Totals } from './camera-stats.js';
import { seqKey, type ChainHead, type Keyspace, type KvOp, type KvRange, type LogSnapshot, type WritePlan } from './log-backend.js';
import { decodeLine } from './record-line.js';
import type { CameraSummary, GapRow } from './record-log.js';
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
type ChainedBatch = ReturnType<Level<string, string>['batch']>;
/** A value that is already UTF-8 bytes (a record's line) goes in as it is. */
const AS_BYTES = { valueEncoding: 'buffer' } as const;
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
    evicted: db.sublevel<string, string>('evicted', { valueEncoding: 'utf8' }),
    meta: db.sublevel<string, unknown>('meta', { valueEncoding: 'json' }),
    /** Every other keyspace (log-backend.ts), a JSON sublevel each, made when first used. */
    spaces: new Map<Keyspace, ReturnType<typeof db.sublevel<string, unknown>>>(),
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
    const { db, recs, meta } = this.h;
    await db.open();
    const [[last], [first], cursorRows, metaRows] = await Promise.all([
      recs.keys({ reverse: true, limit: 1 }).all(),
      recs.keys({ limit: 1 }).all(),
      this.space('cursor').values().all(),
      meta.getMany([TOTALS_KEY, HIGH_WATER_KEY, FORMAT_KEY, CHAIN_HEAD_KEY]),
    ]);
    await this.checkFormat(metaRows[2], first !== undefined || metaRows[0] !== undefined);
    const cameras = (await meta.values({ gte: CAMERA_KEY_PREFIX, lt: `${CAMERA_KEY_PREFIX}\uffff` }).all()) as CameraSummary[];
    const gapRows = await this.space('gap').values().all();
    return {
      firstSeq: first ? Number(first) : 0,
      lastSeq: last ? Number(last) : 0,
      highWater: Number(metaRows[1] ?? 0),
      totals: metaRows[0] as Totals | undefined,
      cameras,
      cursors: cursorRows as number[],
      gaps: gapRows as GapRow[],
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
    const { recs, evicted, meta } = this.h;
    const ids = this.space('id');
    const gaps = this.space('gap');
    const dedupe = this.space('dedupe');
    const refs = this.space('ref');
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

  protected async _range(afterSeq: number, limit: number): Promise<StoredRecord[]> {
    // One native call for a whole page; per-item iteration costs ~10 us a record.
    return this.decodeRange(await this.h.recs.iterator({ gt: seqKey(afterSeq), limit, ...PAGE }).all());
  }

  protected async _rangeBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]> {
    return this.decodeRange(await this.h.recs.iterator({ lt: seqKey(beforeSeq), reverse: true, limit, ...PAGE }).all());
  }

  private space(name: Keyspace) {
    const { db, spaces } = this.h;
    let t = spaces.get(name);
    if (!t) {
      t = db.sublevel<string, unknown>(name, { valueEncoding: 'json' });
      spaces.set(name, t);
    }
    return t;
  }

  protected _kvGet(name: Keyspace, keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.space(name).getMany(keys);
  }

  protected _kvRange(name: Keyspace, range: KvRange): Promise<[string, unknown][]> {
    return this.space(name).iterator({ ...range, ...PAGE }).all();
  }

  protected _kvWrite(name: Keyspace, ops: KvOp[], sync: boolean): Promise<void> {
    // Prefixed keys and JSON text on the root database, as in _commit: the plate index
    // writes a few rows for every detection.
    const { prefix } = this.space(name);
    return this.chained((batch) => {
      for (const o of ops) {
        if (o.value === undefined) batch.del(prefix + o.key);
        else batch.put(prefix + o.key, JSON.stringify(o.value));
      }
    }, sync);
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
