// The plate search index: normalised plate → detections, in the log's "plates" table, plus
// each plate's one-deletion variants in "plate-variants" (fuzzy search looks those up,
// never scans). Written by a follower of the log, so it is always rebuildable from the
// records (reindex) and a crash at worst writes a page twice (same keys, same values).
import type { Logger } from 'pino';
import type { DetectionData, StoredRecord } from '../log/record.js';
import type { RecordLog, Table } from '../log/record-log.js';
import { LogFollower } from '../outbound/log-follower.js';
import { plateReadings } from '../plates/plate-readings.js';
import { deletions, isPlateKey, normalisePlate } from '../plates/plate-text.js';

/** One indexed reading: camera, camera time (ISO UTC), the text as read. */
export interface IndexRow {
  c: string;
  t: string;
  p: string;
}

export const SEP = '\u0000';
export const seqPart = (seq: number) => seq.toString().padStart(16, '0');

export class PlateIndex {
  readonly follower: LogFollower;
  /** Variant rows written lately (they never change, so once is enough). */
  private readonly recentVariants = new Set<string>();
  private rebuilding: Promise<void> | undefined;

  /** The index's own keyspaces: <plate key>\0<seq> → IndexRow, and <variant>\0<plate key> → 1. */
  readonly rows: Table<IndexRow>;
  readonly variants: Table<1>;

  constructor(private readonly log: RecordLog, logger: Logger) {
    this.rows = log.table<IndexRow>('plates');
    this.variants = log.table<1>('plate-variants');
    // After a short page, a pause of 100 ms lets the next one fill (one table write per
    // page, not per record); a search sees a detection within a tenth of a second or so.
    // The pause is short enough that, up to about 20 k records/s, what arrives during it is
    // still in the log's tail of recent records (2048) and is not read back from LevelDB.
    this.follower = new LogFollower({ log, name: 'plate-index', logger, handle: (page) => this.add(page), minIntervalMs: 100, pageSize: 2000 });
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Empties the index and builds it again from every stored record; resolves when caught up. */
  reindex(): Promise<void> {
    this.rebuilding ??= (async () => {
      const target = this.log.lastSeq();
      await this.follower.stop();
      for (const t of [this.rows, this.variants] as Table<unknown>[]) await this.clear(t);
      this.recentVariants.clear();
      await this.follower.start(0);
      await this.follower.reached(target);
    })().finally(() => {
      this.rebuilding = undefined;
    });
    return this.rebuilding;
  }

  rebuildingNow(): boolean {
    return this.rebuilding !== undefined;
  }

  /** Drops rows of records no longer stored (found by a search). */
  forget(keys: string[]): Promise<void> {
    return this.rows.write(keys.map((key) => ({ key })));
  }

  private async add(page: StoredRecord[]): Promise<void> {
    const rows: { key: string; value: IndexRow }[] = [];
    const variants: { key: string; value: 1 }[] = [];
    for (const r of page) {
      if (r.kind !== 'detection') continue;
      for (const reading of plateReadings(r.data as unknown as DetectionData)) {
        const key = normalisePlate(reading);
        if (!isPlateKey(key)) continue;
        const row: IndexRow = { c: r.camera_id, t: r.time, p: reading };
        rows.push({ key: key + SEP + seqPart(r.seq), value: row });
        if (this.recentVariants.has(key)) continue;
        for (const v of new Set([key, ...deletions(key)])) variants.push({ key: v + SEP + key, value: 1 });
        this.recentVariants.add(key);
        if (this.recentVariants.size > 50_000) this.recentVariants.clear();
      }
    }
    // Not synced: the index is derived; a power cut only repeats the follower's last page.
    await this.variants.write(variants);
    await this.rows.write(rows);
  }

  private async clear(table: Table<unknown>): Promise<void> {
    for (;;) {
      const page = await table.range({ limit: 5000 });
      if (page.length === 0) return;
      await table.write(page.map(([key]) => ({ key })));
    }
  }
}
