// The uplink backlog as data: undelivered records, their approximate bytes, the age of the
// oldest, the drain rate and an ETA. Sampled on a timer (one log read per sample), read
// synchronously by /api/statistics and the retained gateway status.
import type { RecordLog } from '../log/record-log.js';
import type { LogConsumer } from './log-consumer.js';

export interface BacklogSnapshot {
  records: number;
  bytes: number;
  oldest_received_at: string | null;
  oldest_age_s: number | null;
  drain_rate_per_s: number;
  eta_s: number | null;
  cursor: number;
  last_seq: number;
}

export class BacklogMonitor {
  private oldest: string | null = null;
  private rate = 0;
  private lastSample: { at: number; delivered: number } | undefined;

  constructor(private readonly log: RecordLog, private readonly consumer: LogConsumer, private readonly online: () => boolean = () => true) {}

  async sample(now = Date.now()): Promise<void> {
    const [first] = await this.log.readAfter(this.consumer.position(), 1);
    this.oldest = first?.received_at ?? null;
    const delivered = this.consumer.delivered;
    if (!this.online()) this.rate = 0; // an outage starts the rate afresh
    else if (this.lastSample && now > this.lastSample.at) {
      const instant = ((delivered - this.lastSample.delivered) * 1000) / (now - this.lastSample.at);
      this.rate = this.rate === 0 ? instant : 0.5 * this.rate + 0.5 * instant;
    }
    this.lastSample = { at: now, delivered };
  }

  snapshot(now = Date.now()): BacklogSnapshot {
    const s = this.log.stats();
    const records = this.consumer.lag();
    const avg = s.records > 0 ? s.bytes / s.records : 0;
    const age = this.oldest && records > 0 ? Math.max(0, (now - Date.parse(this.oldest)) / 1000) : null;
    return {
      records,
      bytes: Math.round(records * avg),
      oldest_received_at: records > 0 ? this.oldest : null,
      oldest_age_s: age === null ? null : Math.round(age),
      // While offline nothing drains: no rate, and no ETA anyone could trust.
      drain_rate_per_s: this.online() ? Math.round(this.rate) : 0,
      eta_s: records === 0 ? 0 : this.online() && this.rate > 0 ? Math.round(records / this.rate) : null,
      cursor: this.consumer.position(),
      last_seq: s.lastSeq,
    };
  }
}
