// What a storage backend of the log stores, and the one atomic write it must offer.
// BaseRecordLog plans every change as a WritePlan; a backend only makes it durable.
import type { Totals } from './camera-stats.js';
import type { CameraSummary, GapRow, TableName } from './record-log.js';
import type { StoredRecord } from './record.js';

/**
 * The keyspaces beside the records: each an ordered map of string keys to JSON values.
 * The log's own: id (record id → seq), ref (image sha256 → references), dedupe (key →
 * DedupeEntry), cursor (consumer → seq), state (job state), gap (first seq → GapRow). And
 * one per table (TableName) it keeps for another part.
 */
export type Keyspace = 'id' | 'ref' | 'dedupe' | 'cursor' | 'state' | 'gap' | 'parked' | 'checkpoint' | `table:${TableName}`;

/**
 * A table's keyspace. The parked list and the checkpoints were the log's own keyspaces
 * before they became their owners' tables, and keep those names: a store written before
 * reads the same.
 */
export const tableSpace = (t: TableName): Keyspace => (t === 'parked' || t === 'checkpoint' ? t : `table:${t}`);

/** A put (value given) or a delete (value undefined). */
export interface KvOp {
  key: string;
  value?: unknown;
}

/** Keys after `gt` or from `gte`, before `lt`, ascending unless reversed, at most `limit`. */
export interface KvRange {
  gt?: string;
  gte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

/** A seq as a key that sorts as the number does. */
export const seqKey = (seq: number): string => seq.toString().padStart(16, '0');

export interface DedupeEntry {
  seq: number;
  id: string;
  /** Epoch ms the original was stored. */
  at: number;
}

/** What open() reads: the two ends of the log and the small meta rows — never a scan. */
export interface LogSnapshot {
  /** 0 when the log is empty. */
  firstSeq: number;
  lastSeq: number;
  /** Highest seq ever assigned (survives the log being emptied by retention). */
  highWater: number;
  totals: Totals | undefined;
  cameras: CameraSummary[];
  /** Every consumer cursor (a few rows). */
  cursors: number[];
  gaps: GapRow[];
  /** The newest record's seq and hash (the hash chain's head), if any. */
  chainHead: ChainHead | undefined;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * One change, written atomically and synced: after a crash either all of it is there or
 * none. Records, their id index, dedupe entries, image reference counts and the totals
 * they change always agree.
 */
export interface WritePlan {
  /** New records (their `line` is what is stored). */
  put: StoredRecord[];
  /** Records removed (their id index and images-evicted mark too). */
  del: StoredRecord[];
  /** Seqs of records whose images were evicted: marked beside the record, which stays as it is. */
  stripped: number[];
  dedupe: [string, DedupeEntry][];
  /** Image SHA-256 → references now; 0 deletes the row. */
  refs: [string, number][];
  totals: Totals;
  cameras: CameraSummary[];
  highWater?: number;
  chainHead?: ChainHead;
  gaps?: { put: GapRow[]; del: number[] };
}
