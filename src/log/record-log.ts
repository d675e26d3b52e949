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

/** A record a consumer could not deliver as it is (too large, refused by the broker). */
export interface ParkedRecord {
  consumer: string;
  seq: number;
  id: string;
  /** too_large | refused | connection_dropped */
  reason: string;
  detail: string;
  /** ISO time it was parked. */
  at: string;
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

/** A signed statement "gateway G's log reached seq S with hash H at time T" (docs/EVIDENCE.md). */
export interface Checkpoint {
  gateway_id: string;
  seq: number;
  hash: string;
  time: string;
  /** The statement exactly as signed: JSON text of {gateway_id, seq, hash, time}, in that order. */
  signed: string;
  /** Ed25519 signature (base64) over the UTF-8 bytes of `signed`. */
  signature: string;
  /** The raw 32-byte Ed25519 public key, base64, and its SHA-256 (hex). */
  public_key: string;
  key_fingerprint: string;
}

export type AppendListener = (lastSeq: number) => void;

/**
 * Side tables beside the records, each an ordered key → JSON value map: the hotlist and
 * the plate search index (rebuildable from the records). Named here so log/ knows every
 * keyspace it stores.
 */
export type TableName = 'hotlist' | 'plates' | 'plate-variants';

/** A put (value given) or a delete (value undefined). */
export interface TableOp {
  key: string;
  value?: unknown;
}

/** A side table with values of type V (RecordLog.table). */
export interface Table<V> {
  get(keys: string[]): Promise<(V | undefined)[]>;
  range(range: TableRange): Promise<[string, V][]>;
  write(ops: { key: string; value?: V }[], opts?: { sync?: boolean }): Promise<void>;
}

/** Keys in [gte, lt), ascending unless reversed, at most limit. */
export interface TableRange {
  gte?: string;
  lt?: string;
  reverse?: boolean;
  limit?: number;
}

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
   * A side table as a typed keyspace, for the part that owns it (the hotlist its entries,
   * the plate index its rows): get, range and write behind the log's own gate, as the
   * methods below.
   */
  table<V>(table: TableName): Table<V>;
  /** Writes a side table in one atomic batch (synced when `sync`). */
  tableWrite(table: TableName, ops: TableOp[], opts?: { sync?: boolean }): Promise<void>;
  tableRead(table: TableName, range: TableRange): Promise<[string, unknown][]>;
  /** Values of these keys (undefined where there is none). */
  tableGet(table: TableName, keys: string[]): Promise<unknown[]>;
  /** Called after each durable batch with the new last seq; returns an unsubscribe. */
  onAppend(listener: AppendListener): () => void;
  /** Deletes records / drops their images in one synced batch, counted by reason. */
  evict(change: EvictionChange): Promise<EvictionResult>;
  /** How many stored records reference each image (by SHA-256). */
  imageRefs(sha256s: string[]): Promise<number[]>;
  /**
   * Sets a record aside for a consumer (durably, synced) so delivery can go on past it;
   * parked records are never evicted as delivered. unpark() after a successful replay.
   */
  park(entry: ParkedRecord): Promise<void>;
  unpark(consumer: string, seq: number): Promise<boolean>;
  parked(consumer?: string): Promise<ParkedRecord[]>;
  /** How many records are parked (for one consumer, or any), from memory. */
  parkedCount(consumer?: string): number;
  /** Stores a signed checkpoint (synced); checkpoints() pages through them by seq. */
  addCheckpoint(cp: Checkpoint): Promise<void>;
  checkpoints(afterSeq: number, limit: number): Promise<Checkpoint[]>;
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
