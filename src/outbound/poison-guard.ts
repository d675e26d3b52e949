// Poison isolation for one uplink lane: a record that cannot be delivered as it is must
// not block the records behind it, nor be retried in a loop, nor be dropped silently. It
// is parked — set aside durably (parked-records.ts) with its reason — and the lane goes on. Causes:
//   too_large           the message exceeds the broker's limit (uplink.maxMessageBytes, or
//                       the Maximum Packet Size of an MQTT 5 CONNACK);
//   refused             an MQTT 5 PUBACK with a reason code ≥ 0x80 (0x95 packet too large,
//                       0x87 not authorized, 0x97 quota exceeded, ...);
//   connection_dropped  the broker closed the connection STRIKES times in a row while this
//                       record was the oldest unconfirmed one and nothing went through
//                       (MQTT 3.1.1 brokers drop a connection on an over-limit packet).
// Parked records are listed and replayed by an operator (admin API, lpr-gateway parked).
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { ParkedRecord, ParkedRecords } from './parked-records.js';

const STRIKES = 3;

const REASON_TEXT: Record<number, string> = {
  0x80: 'unspecified error', 0x83: 'implementation specific error', 0x87: 'not authorized', 0x90: 'topic name invalid',
  0x91: 'packet identifier in use', 0x95: 'packet too large', 0x97: 'quota exceeded', 0x99: 'payload format invalid',
};

/** The PUBACK reason code of a refused publish, if the error carries one (mqtt.js). */
export function refusalCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 0x80 ? code : undefined;
}

export class PoisonGuard {
  private strikes: { seq: number; count: number } | undefined;
  private readonly condemned = new Map<number, string>();
  /** Highest seq handed to the broker in the current connection. */
  private attempted = 0;

  constructor(
    private readonly parked: ParkedRecords,
    private readonly consumer: string,
    private readonly logger: Logger,
  ) {}

  /** A new connection: nothing attempted on it yet. */
  newConnection(): void {
    this.attempted = 0;
  }

  /**
   * Before sending: parks a record that is condemned or over `limit`, and then returns the
   * park's promise; undefined when the record may go (the drain's per-message case: no
   * promise for it).
   */
  screen(r: StoredRecord, bytes: number, limit: number): Promise<void> | undefined {
    const condemned = this.condemned.get(r.seq);
    if (condemned !== undefined) {
      this.condemned.delete(r.seq);
      return this.park(r, 'connection_dropped', condemned);
    }
    if (limit > 0 && bytes > limit) return this.park(r, 'too_large', `${bytes} bytes, the broker's limit is ${limit}`);
    this.attempted = Math.max(this.attempted, r.seq);
    return undefined;
  }

  /** After a failed publish: parks it when the broker refused it; false for other errors. */
  async refused(r: StoredRecord, err: unknown): Promise<boolean> {
    const code = refusalCode(err);
    if (code === undefined) return false;
    await this.park(r, 'refused', `PUBACK reason 0x${code.toString(16)} (${REASON_TEXT[code] ?? 'refused'})`);
    return true;
  }

  /**
   * The connection ended. `oldestUnconfirmed` is the lane's first undelivered seq, and
   * `progress` whether anything was confirmed on this connection.
   */
  connectionEnded(oldestUnconfirmed: number, progress: boolean): void {
    if (progress || this.attempted < oldestUnconfirmed) {
      this.strikes = undefined;
      return;
    }
    const count = this.strikes?.seq === oldestUnconfirmed ? this.strikes.count + 1 : 1;
    this.strikes = { seq: oldestUnconfirmed, count };
    if (count >= STRIKES) {
      this.condemned.set(oldestUnconfirmed, `the broker closed the connection ${count} times in a row while this record was the oldest unconfirmed one`);
      this.strikes = undefined;
    }
  }

  private async park(r: StoredRecord, reason: string, detail: string): Promise<void> {
    const entry: ParkedRecord = { consumer: this.consumer, seq: r.seq, id: r.id, reason, detail, at: new Date().toISOString() };
    await this.parked.park(entry);
    this.logger.warn({ consumer: this.consumer, seq: r.seq, id: r.id, camera_id: r.camera_id, reason, detail }, 'record parked: it cannot be delivered as it is (lpr-gateway parked list|replay)');
  }
}
