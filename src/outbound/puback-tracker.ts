// QoS 1 publishes waiting for their PUBACK, each with a deadline. mqtt.js never times out
// a QoS 1 publish, and a lost PUBACK would hold the uplink's window forever, so a publish
// whose PUBACK is late fails and the uplink reconnects and resends from its cursor.
//
// The deadline follows the link. While its delivery rate is unknown: ackTimeout plus the
// time the bytes ahead of the message (and its own) need on the slowest link allowed for,
// so a slow link is not taken for a wedged connection. Once measured (link-window.ts): a
// few seconds plus a margin on the time those bytes take at the measured rate, never
// longer than the first. (A lost PUBACK on a LAN-fast link took ackTimeout plus its bytes
// at 4 kB/s, about 93 s, to notice.) One timer checks every deadline, not a timer and a
// race per message: those were a tenth of the drain's CPU per message.

/** Slowest link the deadline allows for (bytes/s) while nothing has been measured: 1.5 MB then gets ~6 min. */
export const MIN_LINK_RATE = 4096;
/** Once measured, a PUBACK is due within this much plus DEADLINE_MARGIN times the time the bytes ahead take. */
export const MEASURED_BASE_MS = 3000;
export const DEADLINE_MARGIN = 4;

export interface PubackTrackerOptions {
  ackTimeoutMs: number;
  /** The link's measured delivery rate, bytes per ms; undefined while unknown. */
  bytesPerMs: () => number | undefined;
  /** Bytes whose PUBACK came (what the rate is measured from). */
  delivered: (bytes: number) => void;
  now?: () => number;
}

interface Awaited {
  deadline: number;
  topic: string;
  ms: number;
  settle: (err?: Error) => void;
}

export class PubackTracker {
  private readonly waiting = new Set<Awaited>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private readonly now: () => number;

  constructor(private readonly o: PubackTrackerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Bytes published and not yet acknowledged on this connection. */
  get bytesInFlight(): number {
    return this.inFlight;
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** How long a message of `bytes` may wait for its PUBACK behind what is in flight now. */
  deadlineMs(bytes: number): number {
    const ahead = this.inFlight + bytes;
    const unmeasured = this.o.ackTimeoutMs + (ahead * 1000) / MIN_LINK_RATE;
    const rate = this.o.bytesPerMs();
    return Math.round(rate === undefined ? unmeasured : Math.min(unmeasured, MEASURED_BASE_MS + (DEADLINE_MARGIN * ahead) / rate));
  }

  /**
   * Tracks one publish: `send` hands the message to the client and calls `done` when its
   * PUBACK comes (or the client fails it). Resolves on the PUBACK; rejects on an error or
   * when the deadline passes first.
   */
  track(topic: string, bytes: number, send: (done: (err?: Error) => void) => void): Promise<void> {
    const ms = this.deadlineMs(bytes);
    this.inFlight += bytes;
    return new Promise<void>((ok, fail) => {
      const waiting: Awaited = {
        deadline: this.now() + ms, topic, ms,
        settle: (err) => {
          if (!this.waiting.delete(waiting)) return; // settled already (timed out)
          this.inFlight = Math.max(0, this.inFlight - bytes);
          if (err) return fail(err);
          this.o.delivered(bytes);
          ok();
        },
      };
      this.waiting.add(waiting);
      this.watch();
      send((err) => waiting.settle(err));
    });
  }

  /** A new connection: nothing of the last one is in flight on it. */
  newConnection(): void {
    this.inFlight = 0;
  }

  /** Fails every publish still waiting (the client was ended: none of them can be acknowledged). */
  failAll(err: Error): void {
    for (const w of [...this.waiting]) w.settle(err);
  }

  private watch(): void {
    if (this.timer) return;
    const every = Math.max(50, Math.min(1000, this.o.ackTimeoutMs / 4));
    this.timer = setInterval(() => {
      const now = this.now();
      for (const w of [...this.waiting]) {
        if (w.deadline <= now) w.settle(new Error(`no PUBACK for ${w.topic} in ${w.ms} ms`));
      }
      if (this.waiting.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, every);
  }
}
