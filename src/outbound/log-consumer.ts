// Reads the log forward from a durable cursor and hands records to a sender with up to
// `window` in flight. Invariants: the cursor moves only over records whose delivery was
// confirmed, contiguously; and no more than `window` records are ever sent beyond the
// *saved* cursor — so after any crash or disconnect, redelivery starts at the first
// unconfirmed record and at most `window` records are sent twice.
import type { Logger } from 'pino';
import type { StoredRecord } from '../log/record.js';
import type { RecordLog } from '../log/record-log.js';

/** Delivers one record; resolves when the destination confirmed it (e.g. PUBACK). */
export type Sender = (record: StoredRecord) => Promise<void>;

export interface LogConsumerOptions {
  log: RecordLog;
  name: string;
  window: number;
  logger: Logger;
  pageSize?: number;
}

interface InFlight {
  seq: number;
  done: boolean;
}

export class LogConsumer {
  private cursor = 0;
  private generation = 0;
  private wake: (() => void) | undefined;
  private persisting: Promise<void> | undefined;
  private persistedCursor = 0;
  /** Confirmed seqs above the saved cursor: they still count against the window. */
  private unsaved: number[] = [];
  private loaded = false;
  /** Records confirmed since start (for rates). */
  delivered = 0;
  /** Waiting for the cursor to move (see advanced()). */
  private advanceWaiters: (() => void)[] = [];

  private window: number;

  constructor(private readonly opts: LogConsumerOptions) {
    this.window = opts.window;
  }

  /** Changes the in-flight window (e.g. to an MQTT 5 broker's Receive Maximum). */
  setWindow(n: number): void {
    this.window = Math.max(1, n);
    this.poke();
  }

  get name(): string {
    return this.opts.name;
  }

  /** Records that may be in flight now (see setWindow). */
  get windowSize(): number {
    return this.window;
  }

  /** Last seq whose delivery (and everything before it) is confirmed. */
  position(): number {
    return this.cursor;
  }

  lag(): number {
    return Math.max(0, this.opts.log.lastSeq() - this.cursor);
  }

  async load(): Promise<void> {
    if (this.loaded) return;
    this.cursor = await this.opts.log.getCursor(this.opts.name);
    this.persistedCursor = this.cursor;
    this.loaded = true;
  }

  /**
   * Delivers until stop() or until a send fails (then rejects). In-flight sends of an
   * ended run are ignored when they settle; the next run starts again at the cursor.
   */
  async run(send: Sender): Promise<void> {
    const gen = ++this.generation;
    const live = () => gen === this.generation;
    await this.load();
    const inflight: InFlight[] = [];
    let failure: unknown;
    let readPos = this.cursor;
    let page: StoredRecord[] = [];
    let appends = 0;
    // The next page is read while this one is being sent: reading a page (LevelDB's
    // iterator on the thread pool, then decoding) took about a third of the drain's time
    // when it was awaited between pages.
    const pageSize = this.opts.pageSize ?? 500;
    let next: { read: Promise<StoredRecord[]>; appendsBefore: number } | undefined;
    const readNext = (after: number) => {
      const read = this.opts.log.readAfter(after, pageSize);
      read.catch(() => undefined); // awaited (and its error handled) when its turn comes
      next = { read, appendsBefore: appends };
    };
    const unsubscribe = this.opts.log.onAppend(() => {
      appends += 1;
      this.poke();
    });
    // Belt and braces: a periodic wake-up, so no missed signal can park the loop for good.
    const heartbeat = setInterval(() => this.poke(), 1000);
    try {
      while (live() && failure === undefined) {
        if (inflight.length + this.unsaved.length >= this.window) {
          await this.sleepUntilPoked(live);
          continue;
        }
        if (page.length === 0) {
          if (!next) readNext(readPos);
          const { read, appendsBefore } = next!;
          next = undefined;
          try {
            page = await read;
          } catch (err) {
            // The store is reopening after a fault: wait for it, never end delivery here
            // (the heartbeat wakes the loop within a second).
            this.opts.logger.warn({ err, consumer: this.opts.name }, 'reading the log failed; retrying');
            await this.sleepUntilPoked(live);
            continue;
          }
          if (page.length === 0) {
            // Nothing readable after readPos: wait for the next durable append, unless one
            // came during the read. (Not lastSeq(): it counts a batch still being synced,
            // and reading again until it lands spins — without yielding, when the log
            // answers from memory.)
            if (appends === appendsBefore) await this.sleepUntilPoked(live);
            continue;
          }
          // A full page: there is probably more behind it.
          if (page.length >= pageSize) readNext(page[page.length - 1]!.seq);
        }
        const record = page.shift()!;
        readPos = record.seq;
        const entry: InFlight = { seq: record.seq, done: false };
        inflight.push(entry);
        send(record).then(
          () => {
            if (!live()) return;
            entry.done = true;
            this.delivered += 1;
            const before = this.cursor;
            while (inflight[0]?.done) {
              this.cursor = inflight.shift()!.seq;
              this.unsaved.push(this.cursor);
            }
            if (this.cursor !== before) this.wakeAdvanceWaiters();
            // Save in steps of a quarter window (a LevelDB put per message would cost more
            // than the publish), and soon anyway when traffic is a trickle.
            if (this.unsaved.length >= Math.max(1, this.window >> 2)) this.persistCursor();
            else this.persistSoon();
            this.poke();
          },
          (err: unknown) => {
            if (!live()) return;
            failure = err;
            this.poke();
          },
        );
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
      if (live()) this.generation += 1;
    }
    clearTimeout(this.soon);
    this.soon = undefined;
    await this.flushCursor();
    this.unsaved = [];
    if (failure !== undefined) throw failure;
  }

  /**
   * Resolves when the cursor next moves, or after `maxMs` at most (the caller then looks
   * again): another lane waits on this one instead of polling it.
   */
  advanced(maxMs: number): Promise<void> {
    return new Promise<void>((ok) => {
      const timer = setTimeout(done, maxMs);
      const waiters = this.advanceWaiters;
      function done() {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        ok();
      }
      waiters.push(done);
    });
  }

  private wakeAdvanceWaiters(): void {
    for (const w of this.advanceWaiters.splice(0)) w();
  }

  /** Ends the current run; in-flight sends are abandoned (they will be redelivered). */
  stop(): void {
    this.generation += 1;
    this.poke();
    this.wakeAdvanceWaiters(); // whoever waits on this lane looks again now
  }

  async flushCursor(): Promise<void> {
    while (this.persisting) await this.persisting;
    if (this.persistedCursor !== this.cursor) {
      this.persistCursor();
      while (this.persisting) await this.persisting;
    }
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Sleeps until poked — unless the run already ended (stop() may have poked nobody). */
  private sleepUntilPoked(live: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!live()) return resolve();
      this.wake = resolve;
    });
  }

  private soon: NodeJS.Timeout | undefined;

  private persistSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.persistCursor();
    }, 20);
  }

  /** Coalesced cursor writes: at most one in progress, the latest value always lands. */
  private persistCursor(): void {
    if (this.persisting) return;
    const seq = this.cursor;
    this.persisting = this.opts.log.setCursor(this.opts.name, seq).then(
      () => {
        this.persistedCursor = seq;
        this.persisting = undefined;
        let saved = 0;
        while (saved < this.unsaved.length && this.unsaved[saved]! <= seq) saved += 1;
        if (saved > 0) this.unsaved.splice(0, saved);
        if (this.cursor !== seq) this.persistCursor();
        this.poke();
      },
      (err: unknown) => {
        this.persisting = undefined;
        this.opts.logger.error({ err, consumer: this.opts.name }, 'could not save consumer cursor; retrying');
        // Sends wait on the window until the cursor is saved, so keep trying.
        setTimeout(() => this.persistCursor(), 1000).unref();
      },
    );
  }
}
