// The durable log: the only durable state of the gateway (DESIGN.md). Ingest appends;
// every consumer (local broker, uplink, retention) reads forward from its own cursor.
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
  /** What is stored now: records and their bytes (images included). */
  liveRecords: number;
  liveBytes: number;
  evictions: Record<string, number>;
  cameras: CameraSummary[];
}

/** Why something was evicted (DESIGN.md eviction order, then the age limits). */
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

export type AppendListener = (lastSeq: number) => void;

export interface RecordLog {
  open(): Promise<void>;
  /** Waits for appends already accepted, then closes. Appends after close are refused. */
  close(): Promise<void>;
  /** Resolves once the record is durable (synced); seqs increase in resolve order. */
  append(record: NewRecord, opts?: AppendOptions): Promise<AppendResult>;
  /** A stored record for this dedupe key inside the window, if any (cheap pre-check). */
  findDuplicate(dedupeKey: string): Promise<AppendResult | undefined>;
  get(seq: number): Promise<StoredRecord | undefined>;
  getById(id: string): Promise<StoredRecord | undefined>;
  /** Records with seq > afterSeq in seq order, at most `limit`, optionally of some kinds. */
  readAfter(afterSeq: number, limit: number, kinds?: readonly RecordKind[]): Promise<StoredRecord[]>;
  lastSeq(): number;
  /** A consumer's position: the last seq it has fully handled (0 = nothing yet). */
  getCursor(consumer: string): Promise<number>;
  setCursor(consumer: string, seq: number): Promise<void>;
  /** Called after each durable batch with the new last seq; returns an unsubscribe. */
  onAppend(listener: AppendListener): () => void;
  /** Deletes records / drops their images in one synced batch, counted by reason. */
  evict(change: EvictionChange): Promise<void>;
  /** Forgets dedupe entries recorded before `before` (epoch ms); returns how many. */
  pruneDedupe(before: number): Promise<number>;
  /** Gives the disk space of deleted ranges back (LevelDB compaction), where that applies. */
  compact?(): Promise<void>;
  stats(): LogStats;
  /** One camera's row (cheap: for per-record callers that must not build stats()). */
  camera(cameraId: string): CameraSummary | undefined;
}
