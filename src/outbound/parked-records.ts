// Records a consumer set aside because it cannot deliver them as they are (too large for
// the broker, refused, a connection dropped on them each time; or refused by the central
// server), so delivery goes on past them. Kept in the log's `parked` table, owned here,
// written synced; mirrored in memory (a few rows) for the counts the metrics read. A parked
// record sits behind its consumer's cursor but was never delivered: the hold registered on
// the log keeps every "delivered" eviction off it until it is replayed (unparked).
import { gatewayError } from '../errors.js';
import { seqKey } from '../log/log-backend.js';
import type { RecordLog, Table } from '../log/record-log.js';

/** A record a consumer could not deliver as it is. */
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

const keyOf = (consumer: string, seq: number) => `${consumer}/${seqKey(seq)}`;

export class ParkedRecords {
  private readonly table: Table<ParkedRecord>;
  /** consumer → seq → entry; undefined until load(). */
  private byConsumer: Map<string, Map<number, ParkedRecord>> | undefined;

  constructor(log: RecordLog) {
    this.table = log.table<ParkedRecord>('parked');
    // Until the list is read, every record counts as held: nothing is evicted as delivered
    // that might be parked.
    log.holdDelivered((seq) => this.byConsumer === undefined || this.has(seq));
  }

  /** Reads the list (once the log is open; again after that is a no-op). */
  async load(): Promise<void> {
    if (this.byConsumer) return;
    const m = new Map<string, Map<number, ParkedRecord>>();
    for (const [, p] of await this.table.range({})) this.mine(m, p.consumer).set(p.seq, p);
    this.byConsumer = m;
  }

  async park(entry: ParkedRecord): Promise<void> {
    await this.table.write([{ key: keyOf(entry.consumer, entry.seq), value: entry }], { sync: true });
    this.mine(this.loaded(), entry.consumer).set(entry.seq, entry);
  }

  /** False when it was not parked for that consumer. */
  async unpark(consumer: string, seq: number): Promise<boolean> {
    if (!this.loaded().get(consumer)?.has(seq)) return false;
    await this.table.write([{ key: keyOf(consumer, seq) }], { sync: true });
    this.loaded().get(consumer)?.delete(seq);
    return true;
  }

  /** Entries, of one consumer or all, in seq order. */
  list(consumer?: string): ParkedRecord[] {
    const m = this.loaded();
    const lists = consumer === undefined ? [...m.values()] : [m.get(consumer) ?? new Map<number, ParkedRecord>()];
    return lists.flatMap((l) => [...l.values()]).sort((a, b) => a.seq - b.seq);
  }

  count(consumer?: string): number {
    const m = this.byConsumer;
    if (!m) return 0;
    if (consumer !== undefined) return m.get(consumer)?.size ?? 0;
    let n = 0;
    for (const l of m.values()) n += l.size;
    return n;
  }

  /** Parked for any consumer. */
  has(seq: number): boolean {
    for (const l of this.byConsumer?.values() ?? []) if (l.has(seq)) return true;
    return false;
  }

  /** The list; before it is read (a store that opened late), 503 like the store itself. */
  private loaded(): Map<string, Map<number, ParkedRecord>> {
    if (!this.byConsumer) throw gatewayError('STORE_NOT_OPEN');
    return this.byConsumer;
  }

  private mine(m: Map<string, Map<number, ParkedRecord>>, consumer: string): Map<number, ParkedRecord> {
    let l = m.get(consumer);
    if (!l) m.set(consumer, (l = new Map()));
    return l;
  }
}
