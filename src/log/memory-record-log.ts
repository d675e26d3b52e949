// RecordLog kept in memory: no durability at all. It exists as the second backend of the
// conformance suite and as the "no storage" reference the ingest benchmark compares with;
// never wired into a running gateway by configuration.
import { GatewayError } from '../errors.js';
import type { NewRecord, RecordKind, StoredRecord } from './record.js';
import { CameraStats } from './camera-stats.js';
import { planEviction } from './eviction-plan.js';
import type { AppendListener, AppendOptions, AppendResult, CameraSummary, EvictionChange, LogStats, RecordLog } from './record-log.js';

/** What survives "reopen": share one of these between instances. */
export interface MemoryLogState {
  records: StoredRecord[];
  byId: Map<string, number>;
  dedupe: Map<string, { seq: number; id: string; at: number }>;
  cursors: Map<string, number>;
  /** Totals and camera rows, kept like LevelDB keeps its meta rows. */
  stats: CameraStats;
}

export function emptyMemoryLogState(): MemoryLogState {
  return { records: [], byId: new Map(), dedupe: new Map(), cursors: new Map(), stats: new CameraStats() };
}

export class MemoryRecordLog implements RecordLog {
  private readonly listeners = new Set<AppendListener>();
  private isOpen = false;

  constructor(
    private readonly state: MemoryLogState = emptyMemoryLogState(),
    private readonly opts: { dedupeWindowMs: number; now?: () => number } = { dedupeWindowMs: 86_400_000 },
  ) {}

  private get stats_(): CameraStats {
    return this.state.stats;
  }

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }

  async append(record: NewRecord, opts: AppendOptions = {}): Promise<AppendResult> {
    if (!this.isOpen) throw new GatewayError('STORE_UNAVAILABLE', 'the store is not open');
    // Synchronous check-then-insert: racing resends cannot both get in.
    const dup = opts.dedupeKey === undefined ? undefined : this.lookup(opts.dedupeKey);
    if (dup) return dup;
    const stored: StoredRecord = { seq: this.lastSeq() + 1, ...record };
    this.state.records.push(stored);
    this.state.byId.set(stored.id, stored.seq);
    if (opts.dedupeKey !== undefined) this.state.dedupe.set(opts.dedupeKey, { seq: stored.seq, id: stored.id, at: this.now() });
    this.stats_.plan([stored]).commit();
    for (const l of this.listeners) l(stored.seq);
    return { seq: stored.seq, id: stored.id, duplicate: false };
  }

  async findDuplicate(dedupeKey: string): Promise<AppendResult | undefined> {
    return this.lookup(dedupeKey);
  }

  private lookup(dedupeKey: string): AppendResult | undefined {
    const hit = this.state.dedupe.get(dedupeKey);
    if (!hit || this.now() - hit.at > this.opts.dedupeWindowMs) return undefined;
    return { seq: hit.seq, id: hit.id, duplicate: true };
  }

  async get(seq: number): Promise<StoredRecord | undefined> {
    return this.state.records.find((r) => r.seq === seq);
  }

  async getById(id: string): Promise<StoredRecord | undefined> {
    const seq = this.state.byId.get(id);
    return seq === undefined ? undefined : this.get(seq);
  }

  async readAfter(afterSeq: number, limit: number, kinds?: readonly RecordKind[]): Promise<StoredRecord[]> {
    return this.state.records.filter((r) => r.seq > afterSeq && (!kinds || kinds.includes(r.kind))).slice(0, limit);
  }

  lastSeq(): number {
    return this.state.records.at(-1)?.seq ?? 0;
  }

  async getCursor(consumer: string): Promise<number> {
    return this.state.cursors.get(consumer) ?? 0;
  }

  async setCursor(consumer: string, seq: number): Promise<void> {
    this.state.cursors.set(consumer, seq);
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async evict(change: EvictionChange): Promise<void> {
    const effect = planEviction(change, this.stats_.totals);
    const gone = new Set(change.remove.map((r) => r.seq));
    const replaced = new Map(effect.rewritten.map((r) => [r.seq, r]));
    this.state.records = this.state.records.filter((r) => !gone.has(r.seq)).map((r) => replaced.get(r.seq) ?? r);
    for (const r of change.remove) this.state.byId.delete(r.id);
    this.stats_.totals = effect.totals;
  }

  async pruneDedupe(before: number): Promise<number> {
    let pruned = 0;
    for (const [key, hit] of this.state.dedupe) {
      if (hit.at < before) {
        this.state.dedupe.delete(key);
        pruned += 1;
      }
    }
    return pruned;
  }

  camera(cameraId: string): CameraSummary | undefined {
    return this.stats_.cameras.get(cameraId);
  }

  stats(): LogStats {
    return this.stats_.snapshot(this.state.records[0]?.seq ?? 0, this.lastSeq());
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
