// The uplink's priority lane: records that must not wait behind a backlog (open hotlist
// alerts) go first, each once, oldest first, ahead of the JSON lane that would reach them
// later. Its own durable cursor (the highest seq it sent) tells the JSON lane which of
// them to skip, across reconnects and restarts. A send that fails leaves the record to
// the JSON lane: the lane never loses anything, it only reorders.
import type { Logger } from 'pino';
import type { RecordLog } from '../log/record-log.js';
import type { StoredRecord } from '../log/record.js';

const PRIORITY_CURSOR = 'uplink-priority';

export interface PriorityLaneDeps {
  log: RecordLog;
  logger: Logger;
  /** Seqs that go first (open alerts), in any order. */
  seqs: () => number[];
  /** Where the JSON lane has confirmed up to: what it has sent needs no priority. */
  jsonPosition: () => number;
}

export class PriorityLane {
  private cursor = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PriorityLaneDeps) {}

  async load(): Promise<void> {
    this.cursor = await this.deps.log.getCursor(PRIORITY_CURSOR);
  }

  /** Whether the JSON lane should skip this record (the priority lane sent it). */
  sent(r: Pick<StoredRecord, 'kind' | 'seq'>): boolean {
    return r.kind === 'alert' && r.seq <= this.cursor;
  }

  /** Sends what is due now, after any send under way; failures are logged, never thrown. */
  run(publish: (r: StoredRecord) => Promise<void>): Promise<void> {
    this.running = this.running.then(() => this.send(publish)).catch((err: Error) => {
      this.deps.logger.warn({ err }, 'priority lane: send failed (the record goes with the backlog)');
    });
    return this.running;
  }

  /** Records the JSON lane has not sent yet, oldest first, each once. */
  private async send(publish: (r: StoredRecord) => Promise<void>): Promise<void> {
    const due = this.deps.seqs().filter((seq) => seq > this.deps.jsonPosition() && seq > this.cursor).sort((a, b) => a - b);
    for (const seq of due) {
      const r = await this.deps.log.get(seq);
      if (r) await publish(r);
      this.cursor = seq;
      await this.deps.log.setCursor(PRIORITY_CURSOR, seq);
    }
  }
}
