// The durable log: the only durable state of the gateway (docs/ARCHITECTURE.md). Ingest appends;
// every consumer (local broker, uplink, retention) reads forward from its own cursor.
// Both backends extend BaseRecordLog, which holds every rule; see docs/ARCHITECTURE.md.
import type { NewRecord, RecordKind, StoredRecord } from './record.js';

export interface AppendResult {
  seq: number;
  id: string;
  /** True when a record with the same dedupe key was already stored inside the window. */
  duplicate: boolean;
}

export interface AppendOptions {
  /** Same key inside the dedupe window → the original record's id/seq, nothing stored. */
  dedupeKey?: string;
}

export interface CameraSummary {
  camera_id: string;
  checkpoint_id: string;
  first_seen: string;
  last_seen: string;
  detections: number;
  health: number;
  registrations: number;
  /** Last presence state written for the camera (status records). */
  state?: 'online' | 'offline';
}

export interface LogStats {
  records: number;
  detections: number;
  health: number;
  registrations: number;
  firstSeq: number;
  lastSeq: number;
  lastUpdate: string | null;
  /** Sum of record sizes ever appended (see NewRecord.size). */
  bytes: number;
  /** What is stored now: records, and bytes (record JSON + each distinct image file once). */
  liveRecords: number;
  liveBytes: number;
  evictions: Record<string, number>;
  cameras: CameraSummary[];
}

/** Why something was evicted (the eviction order of README.md "Bounded storage", then the age limits). */
export type EvictionReason =
  | 'delivered_images' | 'delivered_records' | 'undelivered_images' | 'undelivered_records'
  | 'retention_delivered' | 'max_age_undelivered';

export interface EvictionChange {
  reason: EvictionReason;
  /** Records to delete entirely. */
  remove: StoredRecord[];
  /** Records whose images are dropped (the record stays, images marked evicted). */
  stripImages: StoredRecord[];
}

export interface EvictionResult {
  /** Records (removed or stripped) the change actually applied to. */
  records: number;
  /** Image files whose last reference went (deleted unless an ingest holds them). */
  freedImages: number;
  /** How much the store's live bytes went down (records removed + image files freed). */
  freedBytes: number;
}

/**
 * The store's health. `failed`: a write failed; nothing is written through that handle
 * again, every write is refused with `code`, and the log reopens itself (`recovering`).
 */
export interface StoreHealth {
  state: 'new' | 'open' | 'failed' | 'recovering' | 'closing' | 'closed';
  code?: 'STORE_FULL' | 'STORE_UNAVAILABLE';
  reason?: string;
  /** ISO time of the failure. */
  since?: string;
  /** Failures since start, and successful reopenings. */
  failures: number;
  recoveries: number;
}

/**
 * A run of consecutive records removed by retention or eviction (gap-rows.ts): exported as
 * a gap line in their place, so the chain still links through (docs/EVIDENCE.md §3).
 */
export interface GapRow {
  from_seq: number;
  to_seq: number;
  /** Records removed in the run (seqs of failed batches are never used, so not to - from + 1). */
  records: number;
  /** The first removed record's prev_hash, and the last one's hash. */
  prev_hash: string;
  last_hash: string;
  /** Eviction reasons that removed them. */
  reasons: string[];
}

export type AppendListener = (lastSeq: number) => void;

/**
 * Keyspaces the log keeps for a part outside it, each an ordered key → JSON value map the
 * owner reads and writes through table(): the hotlist (hotlist/), the plate index
 * (search/), records set aside by a consumer (outbound/parked-records.ts) and signed
 * checkpoints (evidence/checkpoint-store.ts). Named here so log/ knows every keyspace it
 * stores; docs/ARCHITECTURE.md names each owner.
 */
export type TableName = 'hotlist' | 'plates' | 'plate-variants' | 'parked' | 'checkpoint';

/** A keyspace of values of type V, for the part that owns it (RecordLog.table). */
export interface Table<V> {
  /** Values of these keys (undefined where there is none). */
  get(keys: string[]): Promise<(V | undefined)[]>;
  range(range: TableRange): Promise<[string, V][]>;
  /** Puts (value given) and deletes (value undefined) in one atomic batch, synced when `sync`. */
  write(ops: { key: string; value?: V }[], opts?: { sync?: boolean }): Promise<void>;
}

/** Keys after `gt` or from `gte`, before `lt`, ascending unless reversed, at most limit. */
export interface TableRange {
  gt?: string;
  gte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

/** Says whether a record behind every cursor is still owed to someone (outbound's parked list). */
export type DeliveryHold = (seq: number) => boolean;

export interface RecordLog {
  /**
   * Opens the backend. With `retry`, a failed open latches the log as failed (writes are
   * refused with the reason, 507 for a full disk) and is tried again with the recovery
   * backoff until it succeeds (onHealth says when); the promise still rejects at once.
   */
  open(opts?: { retry?: boolean }): Promise<void>;
  /** Waits for appends already accepted, then closes. Appends after close are refused. */
  close(): Promise<void>;
  /** Resolves once the record is durable (synced); seqs increase in submit order. */
  append(record: NewRecord, opts?: AppendOptions): Promise<AppendResult>;
  /** A stored record for this dedupe key inside the window, if any (cheap pre-check). */
  findDuplicate(dedupeKey: string): Promise<AppendResult | undefined>;
  get(seq: number): Promise<StoredRecord | undefined>;
  getById(id: string): Promise<StoredRecord | undefined>;
  /**
   * Records with seq > afterSeq in seq order, at most `limit`, optionally of some kinds.
   * Records just appended come from memory, the same objects to every reader: read-only.
   */
  readAfter(afterSeq: number, limit: number, kinds?: readonly RecordKind[]): Promise<StoredRecord[]>;
  /** Records with seq < beforeSeq, newest first, at most `limit` (the events view). */
  readBefore(beforeSeq: number, limit: number): Promise<StoredRecord[]>;
  lastSeq(): number;
  /** A consumer's position: the last seq it has fully handled (0 = nothing yet). */
  getCursor(consumer: string): Promise<number>;
  setCursor(consumer: string, seq: number): Promise<void>;
  /** Small durable state of the store's own jobs (e.g. the retention clock). */
  getState<T>(key: string): Promise<T | undefined>;
  setState(key: string, value: unknown): Promise<void>;
  /**
   * A keyspace for the part that owns it (TableName): get, range and write behind the log's
   * own gate, as every method here.
   */
  table<V>(table: TableName): Table<V>;
  /** Called after each durable batch with the new last seq; returns an unsubscribe. */
  onAppend(listener: AppendListener): () => void;
  /** Deletes records / drops their images in one synced batch, counted by reason. */
  evict(change: EvictionChange): Promise<EvictionResult>;
  /** How many stored records reference each image (by SHA-256). */
  imageRefs(sha256s: string[]): Promise<number[]>;
  /**
   * Registers a hold: a record it holds is never evicted as delivered (it stays until the
   * undelivered limits take it). Returns the release.
   */
  holdDelivered(hold: DeliveryHold): () => void;
  /** The newest record's seq and hash (the hash chain's head), if any record was written. */
  chainHead(): { seq: number; hash: string } | undefined;
  /** Removed stretches of the chain, in seq order (exported as gap lines). */
  gaps(): GapRow[];
  /** Deletes the files among these that no record references (crash leftovers); how many. */
  removeUnreferencedImages(sha256s: string[]): Promise<number>;
  /** Forgets dedupe entries recorded before `before` (epoch ms); returns how many. */
  pruneDedupe(before: number): Promise<number>;
  /** Gives the disk space of deleted ranges back (LevelDB compaction), where that applies. */
  compact(): Promise<void>;
  stats(): LogStats;
  /** One camera's row (cheap: for per-record callers that must not build stats()). */
  camera(cameraId: string): CameraSummary | undefined;
  health(): StoreHealth;
  /** A write beside the log (an image file) failed: latch and recover as for the log's own. */
  writeFailed(err: unknown): void;
  /** Called on every change of health; returns an unsubscribe. */
  onHealth(listener: (h: StoreHealth) => void): () => void;
}
